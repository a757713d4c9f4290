"""The schema. Rows are mapped to core values explicitly in the repositories; never exposed."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Money = BigInteger  # cents

sponsors = Table(
    "sponsors",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    # What the administrator may pay ahead of the sponsor's funding (a payment-run float).
    Column("claims_float", Money, nullable=False, server_default="0"),
)

plans = Table(
    "plans",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("sponsor_id", ForeignKey("sponsors.id"), nullable=False),
    Column("coverage", String(16), nullable=False),
    Column("plan_year_start", Date, nullable=False),
    Column("plan_year_end", Date, nullable=False),
    Column("version", Integer, nullable=False),  # the plan_versions row in force
)

# Every load of a plan document is kept as written; the newest version is in force.
plan_versions = Table(
    "plan_versions",
    metadata,
    Column("plan_id", ForeignKey("plans.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("document", JSON, nullable=False),
    Column("origin", String(500), nullable=False),
    Column("loaded_at", DateTime, nullable=False),
    Column("loaded_by", String(100), nullable=False),
)

# A fee schedule version applies to services on or after its effective date.
fee_schedule = Table(
    "fee_schedule",
    metadata,
    Column("effective_from", Date, primary_key=True),
    Column("code", String(16), primary_key=True),
    Column("amount", Money, nullable=False),
)

providers = Table(
    "providers",
    metadata,
    Column("npi", String(10), primary_key=True),
    Column("tin", String(9)),
    Column("name", String(200), nullable=False),
    Column("network", String(8), nullable=False),  # in | out
)

families = Table(
    "families",
    metadata,
    Column("id", String(64), primary_key=True),  # row locked while a family is adjudicated
    Column("sponsor_id", ForeignKey("sponsors.id")),
)

members = Table(
    "members",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("family_id", ForeignKey("families.id"), nullable=False, index=True),
    Column("sponsor_id", String(64), nullable=False),
    Column("relationship", String(16), nullable=False),
    Column("tier", String(8), nullable=False),
    Column("last_name", String(100)),
    Column("first_name", String(100)),
    Column("birth_date", Date),
    Column("gender", String(1)),
)

coverage_spans = Table(
    "coverage_spans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("member_id", ForeignKey("members.id"), nullable=False, index=True),
    Column("coverage", String(16), nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date),
    Column("tier", String(8)),
    Column("plan_id", String(64)),
    Column("plan_code", String(64)),
)

enrolment_imports = Table(
    "enrolment_imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("origin", String(500), nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),  # the same file twice: a no-op
    Column("sponsor_id", String(64)),
    Column("file_date", Date),
    Column("full_file", Boolean, nullable=False),
    Column("imported_at", DateTime, nullable=False),
    Column("imported_by", String(100), nullable=False),
    Column("report", JSON, nullable=False),  # counts and findings, as printed
)

claims = Table(
    "claims",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),  # received order
    Column("id", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),  # medical | dental | rx | std
    Column("member_id", String(64), nullable=False, index=True),
    Column("family_id", String(64), index=True),  # None: member unknown at intake
    Column("received", Date, nullable=False),
    Column("position", Integer, index=True),  # received order; a replacement takes the original's
    # received | approved | denied | pended | paid | voided | replaced
    Column("status", String(16), nullable=False, index=True),
    Column("decision_no", Integer, nullable=False, default=0),  # current line_decisions set
    Column("network", String(8)),
    Column("provider", String(32)),
    Column("detail", JSON),  # fill or disability particulars
    Column("replaces", String(64)),  # the claim id an adjustment replaces
    Column("reprocess", Boolean, nullable=False, default=False),  # e.g. after a retro term
    Column("source_file", Integer, index=True),  # the x12_files row of an 837 claim
    Column("patient_control", String(38)),  # 837 CLM01, returned to the provider in 835 CLP01
)

# The diagnoses of a claim (837 HI), in order: the first is the principal one.
claim_diagnoses = Table(
    "claim_diagnoses",
    metadata,
    Column("claim_seq", ForeignKey("claims.seq"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("code", String(8), nullable=False, index=True),
)

# Every X12 file received, with what became of it; `sha256` tells a file sent again.
x12_files = Table(
    "x12_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, index=True),
    Column("name", String(255), nullable=False),
    Column("transaction", String(3), nullable=False),  # 837
    Column("received_at", DateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("outcome", String(16), nullable=False),  # accepted | partial | rejected
    Column("summary", JSON, nullable=False),
)

# The 999s and TA1s sent back for a file; the row id is our ISA13 and GS06 control number.
x12_acknowledgments = Table(
    "x12_acknowledgments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_id", ForeignKey("x12_files.id"), nullable=False, index=True),
    Column("kind", String(3), nullable=False),  # 999 | TA1
    Column("interchange", String(9), nullable=False),  # their ISA13
    Column("group_control", String(9)),  # their GS06 (a 999)
    Column("status", String(1), nullable=False),  # A E P R (999 AK901 / TA104)
    Column("content", Text, nullable=False),
)

claim_lines = Table(
    "claim_lines",
    metadata,
    Column("claim_seq", ForeignKey("claims.seq"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("code", String(16), nullable=False),
    Column("modifiers", String(32), nullable=False),  # colon-separated, as on an 837
    Column("service_date", Date, nullable=False),
    Column("billed", Money, nullable=False),
    Column("units", Integer, nullable=False),
    Column("repriced", Money),  # a PPO repricer's allowed amount (837 HCP02)
)

line_reviews = Table(
    "line_reviews",
    metadata,
    Column("claim_seq", ForeignKey("claims.seq"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("action", String(8), nullable=False),  # approve | deny
    Column("allowed", Money),
    Column("group_code", String(2), nullable=False),
    Column("carc", String(8), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("examiner", String(100), nullable=False),
)

# Each adjudication of a claim is kept (decision_no 1, 2, ...); claims.decision_no is current.
line_decisions = Table(
    "line_decisions",
    metadata,
    Column("claim_seq", ForeignKey("claims.seq"), primary_key=True),
    Column("decision_no", Integer, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("allowed", Money, nullable=False),
    Column("plan_paid", Money, nullable=False),
    Column("adjustments", JSON, nullable=False),  # [[group, carc, cents], ...]
    Column("remarks", JSON, nullable=False),
    Column("benefit", String(64)),
    Column("trace", JSON, nullable=False),
)

# Append-only: a balance is the sum of its entries; a correction is a reversing entry.
accumulator_entries = Table(
    "accumulator_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("holder_kind", String(8), nullable=False),
    Column("holder_id", String(64), nullable=False),
    Column("plan_id", String(64), nullable=False),
    Column("name", String(80), nullable=False),
    Column("amount", Money, nullable=False),
    Column("claim_seq", ForeignKey("claims.seq"), index=True),  # None: an opening balance
    Column("line_number", Integer),
    Index("ix_accumulator_entries_holder", "holder_kind", "holder_id", "plan_id"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(64), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("detail", JSON, nullable=False),
)


# The double-entry ledger (core.ledger): an entry's postings sum to zero; nothing is edited.
ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sponsor_id", String(64), nullable=False, index=True),
    Column("on", Date, nullable=False),
    Column("memo", String(300), nullable=False),
    Column("run_id", Integer, index=True),  # the payment run that made it, if one did
)

ledger_postings = Table(
    "ledger_postings",
    metadata,
    Column("entry_id", ForeignKey("ledger_entries.id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("account", String(40), nullable=False),  # core.ledger.AccountKind
    Column("party", String(80), nullable=False),  # payee or carrier, "" for none
    Column("amount", Money, nullable=False),  # debit positive, credit negative
    Index("ix_ledger_postings_account", "account", "party"),
)

payment_runs = Table(
    "payment_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sponsor_id", String(64), nullable=False, index=True),
    Column("run_date", Date, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("total", Money, nullable=False),  # what the sponsor is asked to fund
)

# One per payee and run; `amount` 0 is a notice of denials only (an 835 with BPR01 = H).
payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", ForeignKey("payment_runs.id"), nullable=False, index=True),
    Column("payee", String(80), nullable=False),  # provider:<NPI> | member:<id>
    Column("method", String(8), nullable=False),  # cheque | eft
    Column("number", String(30), nullable=False, unique=True),  # cheque number / EFT trace
    Column("amount", Money, nullable=False),
    Column("recovered", Money, nullable=False),  # recoveries netted from it (835 PLB)
    Column("netted", JSON, nullable=False),  # [[recovery id, cents], ...]
    Column("status", String(8), nullable=False),  # held | released
    Column("released_on", Date),
)

# What each run paid on each claim, signed: a claim's paid-to-date is the sum of its rows, so a
# run pays only the difference between what the current decision owes and what went before.
claim_payments = Table(
    "claim_payments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("payment_id", ForeignKey("payments.id"), nullable=False, index=True),
    Column("claim_seq", ForeignKey("claims.seq"), nullable=False, index=True),
    Column("decision_no", Integer, nullable=False),
    Column("amount", Money, nullable=False),
)

recoveries = Table(
    "recoveries",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("sponsor_id", String(64), nullable=False),
    Column("payee", String(80), nullable=False, index=True),
    Column("claim_seq", ForeignKey("claims.seq"), nullable=False),
    Column("amount", Money, nullable=False),
    Column("open", Money, nullable=False),  # still to be netted or refunded
)

funding_requests = Table(
    "funding_requests",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("sponsor_id", String(64), nullable=False, index=True),
    Column("run_id", ForeignKey("payment_runs.id"), nullable=False),
    Column("requested_on", Date, nullable=False),
    Column("amount", Money, nullable=False),
    Column("received", Money, nullable=False),
)


# Stop-loss administration (services/stoploss.py): policies as loaded, notices given to the
# carrier, and reimbursement filings with their receipts.
stoploss_policies = Table(
    "stoploss_policies",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("sponsor_id", String(64), nullable=False, index=True),
    Column("carrier", String(100), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("version", Integer, nullable=False),  # the stoploss_policy_versions row in force
)

# Every load of a stop-loss policy document is kept as written; the newest is in force.
stoploss_policy_versions = Table(
    "stoploss_policy_versions",
    metadata,
    Column("policy_id", ForeignKey("stoploss_policies.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("document", JSON, nullable=False),
    Column("origin", String(500), nullable=False),
    Column("loaded_at", DateTime, nullable=False),
    Column("loaded_by", String(100), nullable=False),
)

# One notice per policy, member and reason (threshold | diagnosis), however often it is run.
stoploss_notices = Table(
    "stoploss_notices",
    metadata,
    Column("policy_id", ForeignKey("stoploss_policies.id"), primary_key=True),
    Column("member_id", String(64), primary_key=True),
    Column("reason", String(16), primary_key=True),
    Column("on", Date, nullable=False),  # the paid date of the claim that raised it
    Column("claim_id", String(64), nullable=False),
    Column("detail", String(300), nullable=False),
    Column("recorded_at", DateTime, nullable=False),
)

# A filing with the carrier: specific (a claimant), accommodation or aggregate. `amount` is
# signed (a negative supplementary filing withdraws excess a void took away); `received` has
# the same sign: what the carrier paid on it, or what the sponsor refunded.
stoploss_filings = Table(
    "stoploss_filings",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("policy_id", ForeignKey("stoploss_policies.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # specific | accommodation | aggregate
    Column("member_id", String(64)),  # the claimant of a specific filing
    Column("through", Date, nullable=False),  # claims paid on or before
    Column("filed_on", Date, nullable=False),
    Column("amount", Money, nullable=False),
    Column("received", Money, nullable=False),
    Column("detail", JSON, nullable=False),  # the position and the claims listing, as filed
    Column("filed_at", DateTime, nullable=False),
    Column("filed_by", String(100), nullable=False),
)

stoploss_receipts = Table(
    "stoploss_receipts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("filing_id", ForeignKey("stoploss_filings.id"), nullable=False, index=True),
    Column("on", Date, nullable=False),
    Column("amount", Money, nullable=False),  # signed like the filing's
    Column("recorded_by", String(100), nullable=False),
)


# --- Fees: the sponsor's fee contract, monthly invoices and what they billed (docs/fees.md) ---

# Every load of a fee contract is kept as written, with the stop-loss policy it names; the
# latest load of an effective date is the one in force from it.
fee_contracts = Table(
    "fee_contracts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sponsor_id", String(64), nullable=False, index=True),
    Column("effective_from", Date, nullable=False),
    Column("document", Text, nullable=False),
    Column("origin", String(500), nullable=False),
    Column("policy_document", Text),
    Column("policy_origin", String(500)),
    Column("loaded_at", DateTime, nullable=False),
    Column("loaded_by", String(100), nullable=False),
)

# One invoice per sponsor and month, never edited but for what has been paid on it.
invoices = Table(
    "invoices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sponsor_id", String(64), nullable=False),
    Column("month", Date, nullable=False),  # the first day of the month billed
    Column("fees", Money, nullable=False),  # admin + network, adjustments included
    Column("premiums", Money, nullable=False),  # specific + aggregate stop-loss premium
    Column("paid_fees", Money, nullable=False),
    Column("paid_premiums", Money, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Index("ix_invoices_sponsor_month", "sponsor_id", "month", unique=True),
)

invoice_lines = Table(
    "invoice_lines",
    metadata,
    Column("invoice_id", ForeignKey("invoices.id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("component", String(16), nullable=False),  # admin | network | specific | aggregate
    Column("coverage_month", Date, nullable=False),
    Column("tier", String(8), nullable=False),
    Column("member_id", String(64)),  # an adjustment's member-month; None on the month's lines
    Column("quantity", Integer, nullable=False),  # employees; negative credits
    Column("rate", Money, nullable=False),  # PEPM
    Column("amount", Money, nullable=False),
)

# What each invoice billed (+1) or credited (-1) per member-month: what was billed for a
# member-month is the sum of its rows, which a retroactive change is compared with.
invoice_member_months = Table(
    "invoice_member_months",
    metadata,
    Column("invoice_id", ForeignKey("invoices.id"), primary_key=True),
    Column("member_id", String(64), primary_key=True),
    Column("coverage_month", Date, primary_key=True),
    Column("tier", String(8), primary_key=True),
    Column("count", Integer, nullable=False),
)

invoice_payments = Table(
    "invoice_payments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("invoice_id", ForeignKey("invoices.id"), nullable=False, index=True),
    Column("received_on", Date, nullable=False),
    Column("fees", Money, nullable=False),
    Column("premiums", Money, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("actor", String(100), nullable=False),
)


# Web app and API (services/users.py): people and systems that sign in, and what they may see.
users = Table(
    "users",
    metadata,
    Column("login", String(100), primary_key=True),
    Column("role", String(16), nullable=False),  # services.access.Role
    Column("password_hash", String(200)),  # argon2id; None: a system that uses tokens only
    Column("created_at", DateTime, nullable=False),
)

# The sponsors a sponsor or broker login may see (TPA staff see every sponsor).
user_sponsors = Table(
    "user_sponsors",
    metadata,
    Column("login", ForeignKey("users.login"), primary_key=True),
    Column("sponsor_id", String(64), primary_key=True),
)

# Bearer tokens for systems: only the SHA-256 of each token is kept.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("login", ForeignKey("users.login"), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
)
