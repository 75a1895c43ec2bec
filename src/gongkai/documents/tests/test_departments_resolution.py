"""Name resolution used by the work-plan parser: the seed table (no database) and the Department table."""

import pytest

from gongkai.core.departments import clear_department_cache, database_resolver, seed_resolver
from gongkai.documents.names import split_names


@pytest.mark.parametrize(
    ("written", "resolved"),
    [
        ("区政务服务局", "区政务服务局"),
        ("西城区政务服务管理局", "区政务服务局"),
        ("政务服务局", "区政务服务局"),
        ("区政府办公室", "区政府办"),
        ("北京市西城区财政局", "区财政局"),
        ("区 财政\n局", "区财政局"),
        ("金融街服务局", "金融街服务局"),
        ("区未来局", None),
        ("区政府各部门", None),  # a collective, not one department
        ("", None),
    ],
)
def test_seed_resolver(written, resolved):
    assert seed_resolver(written) == resolved


@pytest.mark.django_db
def test_database_resolver_knows_aliases_edited_in_the_admin(departments):
    assert database_resolver("区未来局") is None
    finance = departments["区财政局"]
    finance.aliases = [*finance.aliases, "区未来局"]
    finance.save()
    clear_department_cache()
    assert database_resolver("区未来局") == "区财政局"
    assert seed_resolver("区未来局") is None


def test_split_names():
    assert split_names("区教委、区卫生健康委、区城市管理委等区政府相关部门") == [
        "区教委",
        "区卫生健康委",
        "区城市管理委",
        "区政府相关部门",
    ]
    assert split_names("区教委、区生态环境局等部门") == ["区教委", "区生态环境局", "等部门"]
    assert split_names("区政府各委、办、局，各街道办事处，各区属机构：") == [
        "区政府各委、办、局",
        "各街道办事处",
        "各区属机构",
    ]
    assert split_names("区财政局和区审计局") == ["区财政局", "区审计局"]
    assert split_names("区文化和旅游局") == ["区文化和旅游局"]
    assert split_names("") == []
