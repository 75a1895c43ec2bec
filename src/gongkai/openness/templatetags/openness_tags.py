"""The standard footer of a government website (《政府网站发展指引》, 国办发〔2017〕47号): 主办单位, 网站标识码, ICP
and 公安机关 registration numbers and the 找错 link, from the admin-editable site settings (`OpennessSettings`)."""

from django import template
from django.db import DatabaseError

register = template.Library()


@register.inclusion_tag("openness/_site_footer.html")
def site_identifiers():
    from ..models import OpennessSettings

    try:
        settings = OpennessSettings.current()
    except DatabaseError:  # the 500 page must render even when the database is what failed
        settings = None
    return {"identifiers": settings}
