"""Information-processing fees (信息处理费), 政府信息公开条例 Art. 42 and 《政府信息公开信息处理费管理办法》
(国办函〔2020〕109号). Fees are charged only when one applicant's volume in a calendar month passes the
thresholds below; requests under the thresholds are free. All figures of the measure live here."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

# 国办函〔2020〕109号 一(一) 按件计收: per applicant and calendar month, the first 10 requests are free.
FREE_REQUESTS_PER_MONTH = 10
# 11–30 requests: 100 yuan each.
PER_REQUEST_TIER1_UPPER = 30
PER_REQUEST_TIER1_FEE = Decimal("100")
# From the 31st: every further band of 10 requests costs 100 yuan more per request.
PER_REQUEST_BAND = 10
PER_REQUEST_BAND_STEP = Decimal("100")

# 国办函〔2020〕109号 一(二) 按量计收 (pages of one request): ≤30 pages free; 31–100: 10 yuan/page;
# 101–200: 20 yuan/page; 201 and above: 40 yuan/page.
FREE_PAGES = 30
PAGE_TIERS = [(100, Decimal("10")), (200, Decimal("20")), (None, Decimal("40"))]

# 国办函〔2020〕109号: the time from sending the fee notice to payment is not counted in the reply period;
# the applicant pays within 20 working days of receiving the notice, otherwise the request is deemed abandoned.
PAYMENT_WORKING_DAYS = 20


@dataclasses.dataclass(frozen=True)
class FeeQuote:
    method: str  # "per_request" | "per_page"
    amount: Decimal
    explanation: str


def fee_per_request(nth_in_month: int) -> FeeQuote:
    """The fee for the applicant's `nth_in_month` request in a calendar month (1-based)."""
    if nth_in_month < 1:
        raise ValueError("nth_in_month starts at 1")
    if nth_in_month <= FREE_REQUESTS_PER_MONTH:
        return FeeQuote(
            "per_request", Decimal("0"), f"本月第{nth_in_month}件，{FREE_REQUESTS_PER_MONTH}件以内不收费"
        )
    if nth_in_month <= PER_REQUEST_TIER1_UPPER:
        return FeeQuote(
            "per_request",
            PER_REQUEST_TIER1_FEE,
            f"本月第{nth_in_month}件，11—30件部分每件{PER_REQUEST_TIER1_FEE}元",
        )
    band = (nth_in_month - PER_REQUEST_TIER1_UPPER - 1) // PER_REQUEST_BAND + 1
    amount = PER_REQUEST_TIER1_FEE + PER_REQUEST_BAND_STEP * band
    return FeeQuote(
        "per_request", amount, f"本月第{nth_in_month}件，31件以上每增加10件每件提高100元，本件{amount}元"
    )


def fee_per_page(pages: int) -> FeeQuote:
    """The fee for one request by the number of pages provided."""
    if pages < 0:
        raise ValueError("pages must not be negative")
    amount, lower = Decimal("0"), FREE_PAGES
    for upper, price in PAGE_TIERS:
        top = pages if upper is None else min(pages, upper)
        if top > lower:
            amount += price * (top - lower)
        if upper is None or pages <= upper:
            break
        lower = upper
    if amount == 0:
        return FeeQuote("per_page", amount, f"{pages}页，{FREE_PAGES}页以内不收费")
    return FeeQuote("per_page", amount, f"{pages}页，超出{FREE_PAGES}页部分分档计收，共{amount}元")
