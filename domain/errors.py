"""Domain errors: one class, one catalogue of stable codes with Chinese and English messages.

The API maps an error's ``kind`` to an HTTP status in one place (``api/problems.py``); nothing
else catches and rewords these.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ErrorKind(StrEnum):
    NOT_FOUND = "not_found"  # 404
    CONFLICT = "conflict"  # 409: the command is well-formed but a rule or the state refuses it
    INVALID = "invalid"  # 422: the input itself is wrong
    FORBIDDEN = "forbidden"  # 403: the actor may not do this
    UNAUTHENTICATED = "unauthenticated"  # 401

    @property
    def status(self) -> int:
        """The HTTP status every edge answers this kind of refusal with (the API's problem+json, the pages)."""
        return _STATUS[self]


_STATUS = {
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.INVALID: 422,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.UNAUTHENTICATED: 401,
}


@dataclass(frozen=True)
class ErrorSpec:
    kind: ErrorKind
    zh: str
    en: str


_C, _I, _N, _F = ErrorKind.CONFLICT, ErrorKind.INVALID, ErrorKind.NOT_FOUND, ErrorKind.FORBIDDEN
_U = ErrorKind.UNAUTHENTICATED

CATALOGUE: dict[str, ErrorSpec] = {
    # not found
    "record_not_found": ErrorSpec(_N, "记录不存在：{id}", "Record not found: {id}"),
    "unknown_cell": ErrorSpec(_N, "{annex} 中没有「{key}」这一项", "{annex} has no cell '{key}'"),
    "hazard_not_found": ErrorSpec(_N, "隐患不存在：{id}", "Hazard not found: {id}"),
    "enterprise_not_found": ErrorSpec(_N, "生产经营单位不存在：{id}", "Enterprise not found: {id}"),
    "inspection_not_found": ErrorSpec(_N, "检查记录不存在：{id}", "Inspection not found: {id}"),
    "evidence_not_found": ErrorSpec(_N, "佐证材料不存在：{sha256}", "Evidence not found: {sha256}"),
    # concurrency and idempotency
    "version_conflict": ErrorSpec(
        _C,
        "数据已被他人修改（期望版本 {expected}，当前版本 {actual}），请刷新后重试",
        "Version conflict (expected {expected}, found {actual}); reload and retry",
    ),
    "idempotency_key_reused": ErrorSpec(
        ErrorKind.INVALID,
        "幂等键已用于另一请求",
        "Idempotency-Key was already used for a different request",
    ),
    "idempotency_outcome_unknown": ErrorSpec(
        _C,
        "该幂等键的首次请求结果未知（迁移前记录为“处理中”）：请核对记录后使用新的幂等键",
        "The first request with this Idempotency-Key has an unknown outcome (recorded in progress before "
        "migrations): check the record, then use a new key",
    ),
    # hazard lifecycle
    "invalid_transition": ErrorSpec(
        _C,
        "隐患当前状态为「{state_zh}」，不能{action_zh}",
        "Cannot {action} while the hazard is {state}",
    ),
    "hazard_not_verified": ErrorSpec(_C, "隐患尚未验收通过，不能{action_zh}", "Hazard is not verified; cannot {action}"),
    "hazard_listed": ErrorSpec(
        _C, "隐患处于挂牌督办中，须先摘牌才能销号", "Hazard is listed for supervision; lift it before closing"
    ),
    "hazard_not_listed": ErrorSpec(_C, "隐患未挂牌督办", "Hazard is not listed for supervision"),
    "hazard_already_listed": ErrorSpec(_C, "隐患已挂牌督办", "Hazard is already listed for supervision"),
    "hazard_closed": ErrorSpec(_C, "隐患已销号，只能查阅", "Hazard is closed; it accepts nothing but reads"),
    "hazard_voided": ErrorSpec(_C, "隐患已作废，只能查阅", "Hazard is voided; it accepts nothing but reads"),
    "not_major": ErrorSpec(_C, "仅重大事故隐患可以{action_zh}", "Only a major hazard can be {action}"),
    "already_reported": ErrorSpec(_C, "该重大事故隐患已向监管部门报告", "The major hazard was already reported to the regulator"),
    "plan_incomplete": ErrorSpec(
        _C,
        "整改方案「五落实」不完整，缺少：{missing_zh}",
        "Rectification plan (five elements) is incomplete; missing: {missing}",
    ),
    "no_deadline": ErrorSpec(_C, "隐患没有整改期限", "The hazard has no rectification deadline"),
    "deadline_in_past": ErrorSpec(
        _C, "新的整改期限 {new_deadline} 早于今天 {today}", "New deadline {new_deadline} is before today {today}"
    ),
    # extension on request (申请延期, domain/hazard_extension.py)
    "extension_request_open": ErrorSpec(
        _C,
        "已有一项延期申请（{requested_at} 提出）待审批，审批后才能再次申请",
        "An extension request (made {requested_at}) is awaiting a decision; decide it before another",
    ),
    "no_extension_request": ErrorSpec(_C, "没有待审批的延期申请", "There is no extension request awaiting a decision"),
    "extension_limit_reached": ErrorSpec(
        _C,
        "该隐患整改期限已延期 {count} 次，达到本区规定的上限（{limit} 次）",
        "The deadline was already extended {count} times: the district allows {limit}",
    ),
    "extension_too_long": ErrorSpec(
        _C,
        "延期至 {new_deadline} 比现整改期限 {deadline} 延长 {days} 天，超过本区规定的上限（{limit} 天）",
        "Extending to {new_deadline} adds {days} days to the deadline in force ({deadline}): the district allows {limit}",
    ),
    "deadline_not_passed": ErrorSpec(_C, "整改期限 {deadline} 尚未届满", "The deadline {deadline} has not passed yet"),
    "verifier_is_claimer": ErrorSpec(
        _C, "验收人不能是整改完成的申报人", "The verifier cannot be the person who claimed completion"
    ),
    "occurred_out_of_order": ErrorSpec(
        _C,
        "发生时间 {occurred_at} 早于该记录上一事件的发生时间 {previous}",
        "occurred_at {occurred_at} is earlier than the record's previous event ({previous})",
    ),
    "evidence_digest_mismatch": ErrorSpec(
        ErrorKind.INVALID, "佐证材料的 SHA-256 与内容不符", "The evidence SHA-256 does not match its bytes"
    ),
    "evidence_too_large": ErrorSpec(ErrorKind.INVALID, "佐证材料超过 {limit} 字节", "Evidence is larger than {limit} bytes"),
    # inspections
    "inspection_signed": ErrorSpec(
        _C, "检查记录已有人签名，不能再修改检查发现", "The inspection is signed; findings can no longer change"
    ),
    "already_signed": ErrorSpec(_C, "{name} 已签名", "{name} has already signed"),
    "not_an_inspector": ErrorSpec(_F, "{name} 不是本次检查的检查人员，不能签名", "{name} is not an inspector of this inspection"),
    "finding_item_out_of_scope": ErrorSpec(
        _I, "检查项「{item}」不在本次检查范围内", "Item '{item}' is not in this inspection's scope"
    ),
    "finding_hazard_mismatch": ErrorSpec(
        _C, "隐患 {hazard_id} 不属于本次检查", "Hazard {hazard_id} was not found by this inspection"
    ),
    "finding_empty": ErrorSpec(
        _I,
        "检查发现须列明隐患，或明确“未发现重大事故隐患”",
        "A finding names hazards or states explicitly that no major hazard was found",
    ),
    # enforcement (执法案件; the plan's five enforcement rules) and publication batches
    "case_not_found": ErrorSpec(_N, "执法案件不存在：{id}", "Enforcement case not found: {id}"),
    "batch_not_found": ErrorSpec(_N, "公布批次不存在：{id}", "Publication batch not found: {id}"),
    "case_exists": ErrorSpec(_C, "案号 {case_number} 已立案", "Case number {case_number} is already open"),
    "case_closed": ErrorSpec(_C, "执法案件已结案，只能查阅", "The case is closed; it accepts nothing but reads"),
    "duplicate_decision_number": ErrorSpec(
        _C, "处罚决定书文号 {decision_number} 已在本案使用", "Decision number {decision_number} is already used in this case"
    ),
    "penalty_exempt": ErrorSpec(
        _C,
        "所涉重大事故隐患（{hazard_ids}）系企业自查发现、已按规定报告并正在有效整改，依法不予行政处罚",
        "The cited major hazards ({hazard_ids}) were found by the enterprise itself, reported in time and are under "
        "effective rectification: no administrative penalty may be based on them",
    ),
    "dual_penalty_required": ErrorSpec(
        _C,
        "{reason_zh}，须对企业和企业主要负责人实行“一案双罚”",
        "{reason}: the penalty must hit both the enterprise and its principal (dual penalty)",
    ),
    "not_repeat_offender": ErrorSpec(
        _C,
        "隐患 {hazard_id} 不符合提请关闭条件：{reason_zh}",
        "Hazard {hazard_id} does not meet the repeat-offender thresholds: {reason}",
    ),
    "already_recommended": ErrorSpec(_C, "本案已标记建议提请关闭", "The case is already marked for a closure recommendation"),
    "cited_hazard_open": ErrorSpec(
        _C,
        "案件所涉 {count} 项隐患尚未整改完成（{hazard_ids}），结案须说明理由（严禁以罚代管）",
        "{count} cited hazard(s) still open ({hazard_ids}); closing the case needs a stated reason (no penalty instead of a fix)",
    ),
    "cited_majors_unverified": ErrorSpec(
        _C,
        "所涉重大事故隐患尚未验收通过（{hazard_ids}），不能复产",
        "Cited major hazards are not verified yet ({hazard_ids}); the suspension cannot be lifted",
    ),
    "already_suspended": ErrorSpec(_C, "企业已处于停产整顿中", "The enterprise is already under a suspension order"),
    "no_suspension": ErrorSpec(_C, "本案没有生效的停产整顿决定", "The case has no suspension order in force"),
    "suspension_in_force": ErrorSpec(
        _C,
        "停产整顿尚未解除（复产验收），不能结案；已关闭取缔的除外",
        "A suspension order is still in force (no resumption acceptance); the case cannot close unless the enterprise was closed",
    ),
    "licence_revoked": ErrorSpec(_C, "证照 {licence_number} 已被吊销", "Licence {licence_number} is already revoked"),
    "closure_already_requested": ErrorSpec(_C, "已提请关闭", "Closure was already requested"),
    "closure_not_requested": ErrorSpec(
        _C, "尚未提请地方人民政府关闭，不能关闭取缔", "Closure was not requested from the government; it cannot be ordered"
    ),
    "closure_already_ordered": ErrorSpec(_C, "企业已被关闭取缔", "The enterprise was already ordered closed"),
    "closure_not_ordered": ErrorSpec(
        _C, "企业未被关闭取缔，不能落实行业禁入", "The enterprise was not ordered closed; no industry ban can follow"
    ),
    "already_published": ErrorSpec(_C, "本案已公布为典型执法案例", "The case is already published as a typical case"),
    # end enforcement
    # accidents, risk points, outstanding problems, work logs, spot checks
    "accident_not_found": ErrorSpec(_N, "生产安全事故不存在：{id}", "Accident not found: {id}"),
    "risk_point_not_found": ErrorSpec(_N, "重大安全风险点不存在：{id}", "Risk point not found: {id}"),
    "problem_not_found": ErrorSpec(_N, "突出问题不存在：{id}", "Outstanding problem not found: {id}"),
    "work_log_not_found": ErrorSpec(_N, "工作情况台账不存在：{id}", "Work log not found: {id}"),
    # accountability (责任倒查、追责问责)
    "accountability_not_found": ErrorSpec(_N, "责任倒查记录不存在：{id}", "Accountability case not found: {id}"),
    "person_not_found": ErrorSpec(_N, "台账中没有该人员的行为记录：{user_id}", "No act of this person: {user_id}"),
    "unknown_anomaly_kind": ErrorSpec(
        _I, "未知的异常清单：{kind}（可选：{known}）", "Unknown anomaly list: {kind} (known: {known})"
    ),
    # end accountability
    "accident_grade_too_low": ErrorSpec(
        _I,
        "事故等级「{grade_zh}」低于{basis_zh}对应的等级「{implied_zh}」",
        "Accident grade '{grade}' is below the grade '{implied}' that its {basis} imply",
    ),
    "accident_already_listed": ErrorSpec(
        _C,
        "事故已由{level_zh}，只能由更高一级政府挂牌督办",
        "The accident is already listed at {level} level; only a higher level can list it again",
    ),
    "investigation_already_concluded": ErrorSpec(_C, "事故调查已有结论", "The accident investigation is already concluded"),
    "problem_already_rectified": ErrorSpec(
        _C, "突出问题已整改，不能再{action_zh}", "The outstanding problem is already rectified; cannot {action}"
    ),
    "not_a_spot_check": ErrorSpec(
        _C,
        "该检查为「{kind_zh}」，只有抽查检查才记录企业自查自改问题",
        "The inspection is of kind {kind}; only a spot check records these deficiencies",
    ),
    "deficiency_already_recorded": ErrorSpec(
        _C, "本次抽查已记录问题「{deficiency_zh}」", "The spot check already records the deficiency {deficiency}"
    ),
    "deficiencies_contradiction": ErrorSpec(
        _C,
        "本次抽查已记录「{recorded_zh}」，不能再记录「{attempted_zh}」",
        "The spot check already records {recorded}; cannot also record {attempted}",
    ),
    # end accidents, risk points, outstanding problems, work logs, spot checks
    # warnings (分级警示)
    "warning_not_found": ErrorSpec(_N, "分级警示不存在：{id}", "Warning not found: {id}"),
    "unit_not_found": ErrorSpec(_N, "填报单位不存在：{id}", "Reporting unit not found: {id}"),
    "warning_exists": ErrorSpec(
        _C,
        "该单位已就同一事由提出过同级警示（{trigger_key}）",
        "A warning of this level was already proposed for this trigger ({trigger_key})",
    ),
    "warning_decided": ErrorSpec(
        _C, "该警示已作出决定（{state_zh}），不能再变更", "The warning is already decided ({state}); it accepts nothing more"
    ),
    # end warnings
    # official documents (文书)
    "document_not_found": ErrorSpec(_N, "文书不存在：{id}", "Document not found: {id}"),
    "document_not_issuable": ErrorSpec(
        _C, "不能出具{kind_zh}：{reason_zh}", "Cannot issue the {kind} document: {reason}"
    ),
    "document_number_conflict": ErrorSpec(
        _C,
        "文号序列 {series} 正被同时占用，未编号也未出具，请重试",
        "The number series {series} was taken concurrently; nothing was numbered or issued: retry",
    ),
    "document_already_received": ErrorSpec(
        _C, "文书已签收（{received_at}）", "The document was already received ({received_at})"
    ),
    "document_not_delivered": ErrorSpec(
        _C, "文书尚未登记送达，不能签收", "The document has no delivery recorded; it cannot be received yet"
    ),
    "document_not_addressee": ErrorSpec(
        _F,
        "只有受文单位（{addressee}）或出具单位能登记签收",
        "Only the addressee ({addressee}) or the issuing unit records the receipt",
    ),
    # end official documents
    # report submissions (报表报送)
    "submission_not_found": ErrorSpec(_N, "报表报送记录不存在：{id}", "Report submission not found: {id}"),
    "unknown_annex": ErrorSpec(_N, "没有报表「{annex}」（可选：{known}）", "No report '{annex}' (known: {known})"),
    # end report submissions
    # signatures (personal signatures and the key registry, domain/signatures.py)
    "key_not_found": ErrorSpec(_N, "签名密钥不存在：{id}", "Signing key not found: {id}"),
    "key_exists": ErrorSpec(_C, "签名密钥 {key_id} 已登记", "Signing key {key_id} is already enrolled"),
    "key_already_revoked": ErrorSpec(_C, "签名密钥 {key_id} 已撤销", "Signing key {key_id} is already revoked"),
    "key_unknown": ErrorSpec(_I, "签名密钥 {key_id} 未登记", "Signing key {key_id} is not enrolled"),
    "key_revoked": ErrorSpec(
        _C,
        "签名密钥 {key_id} 已于 {revoked_at} 撤销，签名时间 {signed_at} 在撤销之后",
        "Key {key_id} was revoked at {revoked_at}; the signature is dated {signed_at}",
    ),
    "key_not_valid_yet": ErrorSpec(
        _C,
        "签名密钥 {key_id} 自 {valid_from} 起生效，签名时间 {signed_at} 早于生效时间",
        "Key {key_id} is valid from {valid_from}; the signature is dated {signed_at}",
    ),
    "key_expired": ErrorSpec(
        _C,
        "签名密钥 {key_id} 已于 {valid_until} 到期，签名时间为 {signed_at}",
        "Key {key_id} expired at {valid_until}; the signature is dated {signed_at}",
    ),
    "key_not_signers": ErrorSpec(
        _F, "签名密钥 {key_id} 不属于签名人 {user_id}", "Key {key_id} does not belong to the signer {user_id}"
    ),
    "signature_invalid": ErrorSpec(_I, "个人签名无效：{reason_zh}", "Invalid personal signature: {reason}"),
    "signature_meaning_mismatch": ErrorSpec(
        _I, "签名含义应为「{expected_zh}」，实际为「{given}」", "The signature's meaning must be {expected}, not {given}"
    ),
    "signature_stale_version": ErrorSpec(
        _C,
        "签名针对的是该记录的第 {signed_version} 版，当前为第 {current_version} 版，请刷新后重新签名",
        "The signature was made over version {signed_version} of the record, which is now at version "
        "{current_version}: reload and sign again",
    ),
    "signature_time_invalid": ErrorSpec(
        _I, "签名时间 {signed_at} 不合理：{reason_zh}", "The signature time {signed_at} is not acceptable: {reason}"
    ),
    "signature_required": ErrorSpec(
        _I,
        "本系统要求对「{meaning_zh}」进行个人电子签名",
        "This deployment requires a personal signature ({meaning}) for this act",
    ),
    # end signatures
    # enterprises
    "enterprise_exists": ErrorSpec(
        _C, "统一社会信用代码 {credit_code} 已登记", "Credit code {credit_code} is already registered"
    ),
    "invalid_credit_code": ErrorSpec(
        _I, "统一社会信用代码 {credit_code} 无效：{reason_zh}", "Invalid credit code {credit_code}: {reason}"
    ),
    # reference data and input
    "unknown_sector": ErrorSpec(_I, "未知的行业领域：{sector}", "Unknown sector row: {sector}"),
    "unknown_jurisdiction": ErrorSpec(_I, "未知的属地（街道/开发区）：{jurisdiction}", "Unknown jurisdiction: {jurisdiction}"),
    "unknown_department": ErrorSpec(_I, "未知的部门：{department}", "Unknown department: {department}"),
    "invalid_value": ErrorSpec(_I, "字段 {field} 无效：{reason_zh}", "Field {field} is invalid: {reason}"),
    "unknown_unit": ErrorSpec(_I, "未知的单位（部门/街道/开发区）：{unit}", "Unknown unit (department, street or zone): {unit}"),
    "occurred_in_future": ErrorSpec(_I, "发生时间 {occurred_at} 晚于当前时间", "occurred_at {occurred_at} is in the future"),
    "occurred_too_early": ErrorSpec(
        _I,
        "发生时间 {occurred_at} 超出允许补录的期限（{days} 天）",
        "occurred_at {occurred_at} is outside the back-dating window ({days} days)",
    ),
    # importing a unit's hazard ledger (domain/ledger_import.py): each row error names its sheet and row
    "hazard_exists": ErrorSpec(_C, "隐患 {id} 已在台账中", "Hazard {id} is already in the ledger"),
    "ledger_import_exists": ErrorSpec(
        _C, "该文件已为本单位导入：{file_name}", "This file was already imported for the unit: {file_name}"
    ),
    "ledger_import_not_found": ErrorSpec(_N, "台账导入记录不存在：{id}", "Ledger import not found: {id}"),
    "ledger_file_unreadable": ErrorSpec(
        _I, "无法读取 Excel 文件（应为 .xlsx）：{reason}", "The file cannot be read as an Excel workbook (.xlsx): {reason}"
    ),
    "ledger_mapping_invalid": ErrorSpec(_I, "列映射文件无效：{reason}", "The column mapping file is invalid: {reason}"),
    "ledger_no_header": ErrorSpec(
        _I, "没有一张工作表有隐患台账的表头（如 企业名称、隐患描述、隐患等级、发现日期）",
        "No sheet has a hazard ledger header (such as 企业名称, 隐患描述, 隐患等级, 发现日期)",
    ),
    "ledger_columns_missing": ErrorSpec(_I, "表头缺少必需的列：{columns}", "The header lacks required columns: {columns}"),
    "ledger_value_missing": ErrorSpec(_I, "「{column}」未填写", "'{column}' is empty"),
    "ledger_date_invalid": ErrorSpec(_I, "「{column}」不是可识别的日期：{value}", "'{column}' is not a date: {value}"),
    "ledger_amount_invalid": ErrorSpec(_I, "「{column}」不是金额（元）：{value}", "'{column}' is not an amount in yuan: {value}"),
    "ledger_grade_invalid": ErrorSpec(
        _I, "「{column}」应为「一般」或「重大」：{value}", "'{column}' must be 一般 (general) or 重大 (major): {value}"
    ),
    "ledger_status_invalid": ErrorSpec(
        _I, "「{column}」不是可识别的状态（如 整改中、已整改、已验收、已销号）：{value}",
        "'{column}' is not a known status (such as 整改中, 已整改, 已验收, 已销号): {value}",
    ),
    "ledger_status_without_date": ErrorSpec(
        _I, "状态为「{status}」，但「{column}」未填写", "The status says {status}, but '{column}' is empty"
    ),
    "ledger_status_contradicts_dates": ErrorSpec(
        _I, "状态为未整改，但已填写整改完成、验收或销号日期",
        "The status says not rectified, but a completion, verification or closure date is given",
    ),
    "ledger_enterprise_unknown_code": ErrorSpec(
        _I, "统一社会信用代码 {credit_code} 没有登记的企业", "No registered enterprise has the credit code {credit_code}"
    ),
    "ledger_enterprise_unmatched": ErrorSpec(
        _I, "企业「{name}」没有登记；相近的登记企业：{candidates}（请改填统一社会信用代码或先登记企业）",
        "Enterprise '{name}' is not registered; similar registered ones: {candidates} "
        "(give the credit code, or register it first)",
    ),
    "ledger_enterprise_ambiguous": ErrorSpec(
        _I, "企业名称「{name}」对应多家登记企业：{candidates}（请改填统一社会信用代码）",
        "Enterprise name '{name}' matches several registered enterprises: {candidates} (give the credit code)",
    ),
    "ledger_rows_refused": ErrorSpec(
        _I, "隐患台账有 {count} 行不能导入，未写入任何数据", "{count} rows of the ledger cannot be imported; nothing was written"
    ),
    # access
    "role_not_allowed": ErrorSpec(_F, "角色「{role_zh}」不能{action_zh}", "Role '{role}' may not {action}"),
    "role_organisation_mismatch": ErrorSpec(
        _F,
        "角色「{role_zh}」不属于「{organisation_kind_zh}」类单位（应为：{expected_zh}）",
        "Role '{role}' does not belong to an organisation of kind '{organisation_kind}' (expected: {expected})",
    ),
    "scope_not_registered": ErrorSpec(
        _I,
        "{field} 应为该企业登记的 {registered}，不能为 {given}（记录的管辖范围取自企业登记信息）",
        "{field} must be the enterprise's registered {registered}, not {given} (a record's scope comes from the "
        "enterprise's registration)",
    ),
    "verifier_of_claimer_organisation": ErrorSpec(
        _F,
        "验收人与整改完成申报人同属 {organisation}，不能验收本单位的整改",
        "The verifier belongs to {organisation}, the organisation that claimed completion; it cannot verify its own work",
    ),
    "server_held_key_for_another": ErrorSpec(
        _F,
        "服务器保管的签名密钥只能由本人为自己创建（{actor} 不能为 {user_id} 创建）",
        "A server-held signing key is created only by its owner for themself ({actor} may not create one for {user_id})",
    ),
    "outside_scope": ErrorSpec(_F, "{organisation} 无权处理该单位/行业/属地的记录", "{organisation} may not act on this record"),
    "unauthenticated": ErrorSpec(
        ErrorKind.UNAUTHENTICATED, "缺少或无效的身份信息：{reason_zh}", "Missing or invalid identity: {reason}"
    ),
    # log-in (domain/identity.py, app/auth.py): every refused credential is a 401 with one of these codes
    "bad_credentials": ErrorSpec(_U, "用户名或密码错误", "Wrong user name or password"),
    "account_locked": ErrorSpec(
        _U, "登录失败次数过多，账户已锁定至 {until}", "Too many failed log-ins: the account is locked until {until}"
    ),
    "login_throttled": ErrorSpec(
        _U, "登录失败，请于 {until} 之后再试", "A failed log-in: try again after {until}"
    ),
    "account_disabled": ErrorSpec(_U, "账户已停用", "The account is disabled"),
    "token_expired": ErrorSpec(
        _U, "访问令牌已过期，请刷新或重新登录", "The access token has expired; refresh it or log in again"
    ),
    "token_not_yet_valid": ErrorSpec(_U, "访问令牌尚未生效", "The access token is not valid yet"),
    "token_invalid": ErrorSpec(_U, "访问令牌无效：{reason_zh}", "Invalid access token: {reason}"),
    "refresh_token_invalid": ErrorSpec(
        _U, "刷新令牌无效、已使用或已撤销，请重新登录", "The refresh token is invalid, used or revoked; log in again"
    ),
    "api_key_invalid": ErrorSpec(_U, "API 密钥无效", "Invalid API key"),
    "api_key_revoked": ErrorSpec(_U, "API 密钥已撤销", "The API key is revoked"),
    "identity_headers_refused": ErrorSpec(
        _U,
        "本部署不接受 X-User-* 身份请求头，请登录后使用访问令牌或 API 密钥",
        "This deployment does not trust X-User-* headers: log in and send a token or an API key",
    ),
    # accounts and API keys (managed by admins)
    "account_exists": ErrorSpec(_C, "账户已存在：{user_id}", "The account already exists: {user_id}"),
    "account_not_found": ErrorSpec(_N, "账户不存在：{user_id}", "No such account: {user_id}"),
    "api_key_not_found": ErrorSpec(_N, "API 密钥不存在：{key_id}", "No such API key: {key_id}"),
    "password_too_short": ErrorSpec(_I, "密码至少 {min} 个字符", "A password has at least {min} characters"),
}


class DomainError(Exception):
    """A refused command or a bad input, with a stable ``code`` and bilingual messages."""

    def __init__(self, code: str, **details: Any) -> None:
        spec = CATALOGUE[code]
        self.code = code
        self.kind = spec.kind
        self.details = details
        self.message_zh = spec.zh.format_map(_Lenient(details))
        self.message_en = spec.en.format_map(_Lenient(details))
        super().__init__(f"{code}: {self.message_en}")


class _Lenient(dict[str, Any]):
    """Formats a message even when a detail is missing, showing the placeholder instead."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
