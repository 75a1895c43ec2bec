"""gongkai (公开): the platform a district government runs its 政务公开 work with."""

__version__ = "0.1.0"
