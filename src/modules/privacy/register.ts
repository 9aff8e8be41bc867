import type { Db } from '../../db/index.ts';

/**
 * 個人情報ファイル簿 (個人情報保護法第75条): the register a city keeps and
 * publishes of its personal-information files — each file's name, the work it
 * serves, its purpose (利用目的), the items recorded (記録項目), whose data it
 * holds (記録範囲), how it is collected (収集方法), whether 要配慮個人情報 is
 * in it, and its regular recipients (経常的提供先).
 *
 * The files and items are written here; which columns make up each item is
 * mapped column by column, and the register served is generated from the
 * database's schema through this mapping. A test fails when a column of a
 * table about a person maps to no registered item (privacy.test.ts), so a new
 * column cannot be collected without being registered. Identifiers,
 * timestamps, versions and the municipality are registered explicitly as
 * 管理情報.
 *
 * Staff accounts (app_user, membership, sessions) and the audit trail are
 * not here: files about the city's own staff for personnel and work
 * management are outside the register's scope (第75条第2項, 第74条第2項第3号
 * の例による; 要確認), and the audit trail's records of reads name persons only
 * by the ids of the files registered here.
 */

export interface RegisteredItem {
  key: string;
  /** 記録項目, as printed in the register. */
  name: string;
  sensitive?: boolean;
}

export interface PersonalInformationFile {
  key: string;
  /** 個人情報ファイルの名称 */
  name: string;
  /** 利用する事務の名称 */
  work: string;
  /** 利用目的 */
  purpose: string;
  /** 記録範囲 */
  scope: string;
  /** 収集方法 */
  collection: string;
  /** What of it is 要配慮個人情報, in words (null when none is held). */
  sensitiveNote: string | null;
  /** Whether the network's outside organisations receive it regularly (経常的提供先). */
  providedToNetwork: boolean;
  recipientsNote: string;
  items: RegisteredItem[];
  /** table → column → item key */
  columns: Record<string, Record<string, string>>;
}

const MANAGEMENT: RegisteredItem = { key: 'management', name: '管理情報（識別番号、作成・更新日時、版、市区町村）' };
/** Columns every table has that only manage the record. */
const managed = (...cols: string[]) => Object.fromEntries(['municipality_id', ...cols].map((c) => [c, 'management']));

export const FILES: PersonalInformationFile[] = [
  {
    key: 'support_records',
    name: '相談支援ケース記録ファイル',
    work: '包括的相談支援・多機関協働による支援（重層的支援体制整備事業、生活困窮者自立相談支援事業、ひきこもり支援）',
    purpose: '相談のあった本人及びその世帯に対し、関係機関が連携して支援を行うため（アセスメント、支援プランの作成、支援経過の記録、関係機関へのつなぎ、同意に基づく情報共有、支援会議への付議、記録の保存・廃棄の管理）',
    scope: '市に相談があった者又は支援の対象となった者及びその世帯員',
    collection: '本人及び家族からの聞き取り、関係機関からの情報提供、民生委員・児童委員及び住民からの相談',
    sensitiveNote: '心身の機能の障害、病歴、健康状態、生活保護の受給等、支援に必要な範囲で含む（支援記録、アセスメント、プラン、経過）',
    providedToNetwork: true,
    recipientsNote: '本人の同意又は法令に基づく支援会議（社会福祉法第106条の6、生活困窮者自立支援法第9条）による場合に限り提供',
    items: [
      { key: 'identity', name: '氏名・ふりがな' },
      { key: 'birth', name: '生年月日・年代' },
      { key: 'gender', name: '性別' },
      { key: 'contact', name: '電話番号・メールアドレス' },
      { key: 'address', name: '住所・地区（圏域）' },
      { key: 'household', name: '世帯・続柄' },
      { key: 'case', name: 'ケース番号・支援の状況（受付・アセスメント・支援中・モニタリング・終結）・開始日・終結日・終結理由・最終接触日' },
      { key: 'organizations', name: '主担当機関・参加機関とその期間' },
      { key: 'contact_records', name: '支援経過（日時・方法・内容・次の対応・記録者）', sensitive: true },
      { key: 'assessment', name: 'アセスメント（生活領域ごとの状況、支援の要否、所見）', sensitive: true },
      { key: 'plan', name: '支援プラン（目標、支援内容、担当機関・事業、期限、見直し時期、本人同意、確認した会議）', sensitive: true },
      { key: 'consent', name: '情報共有への同意（同意日、範囲、方法、同意先機関、撤回日・撤回時の記載）' },
      { key: 'referral', name: 'つなぎ（紹介元・紹介先機関、事業、理由、共有した内容とその法的根拠、緊急度、期限、経過、共有の終了）', sensitive: true },
      { key: 'outreach', name: 'アウトリーチ（訪問支援）（事業、登録の根拠、訪問計画、訪問日・訪問者・時間・場所・会えた人・内容・段階、終了時の行き先）', sensitive: true },
      { key: 'expert_consultation', name: '多職種専門チームへの相談（会議、ケースコード、年代、相談の背景、質問、各分野の委員の助言、相談した機関・職員）', sensitive: true },
      { key: 'home_visit', name: '都道府県センターの訪問相談（申込み・同意の範囲・対象要件の確認・訪問日・訪問者・場所・会えた人・内容・地域へのつなぎ）', sensitive: true },
      { key: 'timeline', name: 'ケースの経過（出来事、日時、機関、記載）', sensitive: true },
      { key: 'work', name: '参加支援・就労（就労の希望、受け入れ先での体験・就職・終了とその理由、定着確認）', sensitive: true },
      { key: 'meeting', name: '会議での検討（会議名、開催日、議題とした理由、議事録、決定事項、対応事項とその担当機関・期限・完了）', sensitive: true },
      { key: 'hold', name: '記録の保全（理由、開始・解除）' },
      { key: 'emergency_access', name: '緊急時の閲覧（閲覧した職員と機関、理由、期間、保護管理者の所見）' },
      { key: 'staff', name: '記録した職員' },
      MANAGEMENT,
    ],
    columns: {
      person: {
        ...managed('id', 'merged_into_id', 'created_at', 'updated_at', 'version'),
        name: 'identity', name_kana: 'identity', name_key: 'identity', kana_key: 'identity', search_grams: 'identity',
        birth_date: 'birth', age_band_min: 'birth', age_band_max: 'birth', gender: 'gender', phone: 'contact', email: 'contact',
        address: 'address', area_id: 'address',
      },
      household: { ...managed('id', 'created_at'), label: 'household' },
      household_member: { ...managed('household_id', 'person_id'), relation: 'household' },
      support_case: {
        ...managed('id', 'person_id', 'household_id', 'created_at', 'updated_at', 'version'),
        reference: 'case', status: 'case', complex: 'case', opened_at: 'case', closed_at: 'case', closure_reason: 'case', last_contact_at: 'case',
        lead_organization_id: 'organizations',
      },
      case_participant: { ...managed('case_id'), organization_id: 'organizations', role: 'organizations', since: 'organizations', until: 'organizations', reason: 'organizations' },
      case_consultation: managed('case_id', 'consultation_id'),
      outreach_enrolment: {
        ...managed('id', 'case_id', 'version'),
        program_id: 'outreach', enrolled_by_organization_id: 'outreach', enrolled_at: 'outreach', enrolled_on: 'outreach', legal_basis: 'outreach', consent_id: 'outreach',
        meeting_series_id: 'outreach', meeting_date: 'outreach', meeting_session_id: 'outreach', basis_paragraph: 'outreach', basis_reason: 'outreach',
        interval_days: 'outreach', next_visit_on: 'outreach', stage: 'outreach', last_visit_on: 'outreach', ended_at: 'outreach', end_destination: 'outreach',
        end_note: 'outreach', end_referral_id: 'outreach', enrolled_by: 'staff', ended_by: 'staff',
      },
      outreach_visit: {
        ...managed('id', 'enrolment_id', 'case_id'),
        visited_on: 'outreach', visitors: 'outreach', duration_minutes: 'outreach', place: 'outreach', met: 'outreach', what_happened: 'outreach', stage: 'outreach',
        next_visit_on: 'outreach', organization_id: 'outreach', recorded_at: 'outreach', recorded_by: 'staff',
      },
      expert_submission: {
        ...managed('id', 'case_id', 'prefecture_id'),
        conference_id: 'expert_consultation', case_code: 'expert_consultation', age_band: 'expert_consultation', background: 'expert_consultation',
        organization_id: 'expert_consultation', submitted_at: 'expert_consultation', submitted_by: 'staff',
      },
      expert_question: { ...managed('submission_id', 'seq'), text: 'expert_consultation' },
      expert_advice: { ...managed('submission_id', 'question_seq'), seat: 'expert_consultation', text: 'expert_consultation', recorded_at: 'expert_consultation', user_id: 'expert_consultation' },
      home_visit_application: {
        ...managed('id', 'case_id', 'prefecture_id', 'created_at'),
        person_name: 'identity', age: 'birth', contact: 'contact', situation: 'home_visit', past_compulsory_schooling: 'home_visit', lives_in_municipality: 'home_visit',
        months_withdrawn: 'home_visit', consent_by: 'home_visit', consenter_relation: 'home_visit', consented_on: 'home_visit', consent_method: 'home_visit', consent_fields: 'home_visit',
        eligible: 'home_visit', failed_reasons: 'home_visit', status: 'home_visit', legal_basis: 'home_visit', passed_at: 'home_visit', applied_by: 'staff',
        applied_organization_id: 'home_visit', applied_role: 'staff', accepted_at: 'home_visit', accepted_by: 'staff', handback_organization_id: 'home_visit',
        handback_referral_id: 'home_visit', handback_consultation_id: 'home_visit', handback_note: 'home_visit', handed_back_at: 'home_visit', handed_back_by: 'staff',
      },
      home_visit: {
        ...managed('id', 'application_id', 'prefecture_id'),
        visited_on: 'home_visit', visitors: 'home_visit', place: 'home_visit', met: 'home_visit', what_happened: 'home_visit', recorded_at: 'home_visit', recorded_by: 'staff',
      },
      contact_record: {
        ...managed('id', 'case_id', 'created_at'),
        occurred_at: 'contact_records', kind: 'contact_records', organization_id: 'contact_records', notes: 'contact_records', next_step: 'contact_records',
        staff_user_id: 'staff', staff_name: 'staff',
      },
      assessment: { ...managed('id', 'case_id', 'created_at'), assessed_on: 'assessment', organization_id: 'assessment', areas: 'assessment', summary: 'assessment', by_user: 'staff' },
      support_plan: {
        ...managed('id', 'case_id', 'created_at', 'version'),
        plan_no: 'plan', goals: 'plan', review_date: 'plan', person_agreed: 'plan', agreed_on: 'plan', organization_id: 'plan', confirmed_on: 'plan', confirmed_in: 'plan',
        confirmed_session_id: 'plan',
        by_user: 'staff',
      },
      plan_action: { ...managed('plan_id', 'seq'), description: 'plan', organization_id: 'plan', program_id: 'plan', due_date: 'plan', status: 'plan' },
      consent: {
        ...managed('id', 'person_id'),
        given_on: 'consent', scope: 'consent', method: 'consent', recorded_at: 'consent', withdrawn_at: 'consent', withdrawal_note: 'consent', recorded_by: 'staff',
      },
      consent_organization: { ...managed('consent_id'), organization_id: 'consent' },
      referral: {
        ...managed('id', 'case_id', 'version'),
        from_organization_id: 'referral', to_organization_id: 'referral', to_program_id: 'referral', reason: 'referral', shared_summary: 'referral',
        urgency: 'referral', first_contact_due: 'referral', status: 'referral', status_note: 'referral', sent_at: 'referral', accepted_at: 'referral',
        declined_at: 'referral', first_contact_at: 'referral', completed_at: 'referral', returned_at: 'referral', sent_by: 'staff',
        legal_basis: 'referral', consent_id: 'referral', meeting_series_id: 'referral', meeting_date: 'referral', basis_paragraph: 'referral',
        basis_reason: 'referral', share_ended_at: 'referral', meeting_session_id: 'referral',
      },
      referral_event: { ...managed('referral_id', 'seq'), status: 'referral', note: 'referral', at: 'referral', organization_id: 'referral', by_user: 'staff' },
      case_event: {
        ...managed('case_id', 'seq', 'entity_type', 'entity_id', 'scope'),
        at: 'timeline', kind: 'timeline', organization_id: 'timeline', summary: 'timeline', summary_sensitive: 'timeline', by_user: 'staff',
      },
      break_glass: {
        ...managed('id', 'case_id'), organization_id: 'emergency_access', reason: 'emergency_access', started_at: 'emergency_access', expires_at: 'emergency_access',
        ended_at: 'emergency_access', review_finding: 'emergency_access', reviewed_at: 'emergency_access', user_id: 'staff', reviewed_by: 'staff',
      },
      meeting_agenda_item: {
        ...managed('id', 'session_id', 'case_id', 'action_item_id', 'position', 'label', 'added_at', 'version'),
        kind: 'meeting', reason: 'meeting', reason_detail: 'meeting', title: 'meeting', minutes: 'meeting', minutes_at: 'meeting', minutes_by: 'staff', added_by: 'staff',
      },
      work_preference: {
        ...managed('case_id', 'updated_at', 'version'),
        hours_min: 'work', hours_max: 'work', days: 'work', tasks: 'work', area_id: 'work', max_travel_minutes: 'work', travel_minutes: 'work',
        support_needed: 'work', notes: 'work', health_notes: 'work', organization_id: 'work',
      },
      placement_record: {
        ...managed('id', 'case_id', 'placement_id', 'created_at', 'updated_at', 'version'),
        organization_id: 'work', trial_from: 'work', trial_to: 'work', days_attended: 'work', job_started_on: 'work', outcome: 'work', outcome_on: 'work',
        ended_reason: 'work', note: 'work', by_user: 'staff',
      },
      retention_check_in: { ...managed('record_id', 'months'), due_on: 'work', done_on: 'work', still_working: 'work', note: 'work', by_user: 'staff' },
      drop_in_case_visit: managed('day_id', 'case_id', 'contact_record_id'),
      meeting_decision: { ...managed('id', 'session_id', 'agenda_item_id'), text: 'meeting', recorded_at: 'meeting', recorded_by: 'staff' },
      // 統一見解 are worded without any person, but come from decisions on cases
      agreed_rule: {
        ...managed('id', 'number', 'source_session_id', 'source_decision_id', 'supersedes_id', 'ended_by_decision_id', 'created_at'),
        title: 'meeting', body: 'meeting', in_force_from: 'meeting', routing_rule_key: 'meeting', ended_at: 'meeting', created_by: 'staff',
      },
      meeting_action_item: {
        ...managed('id', 'session_id', 'agenda_item_id', 'decision_id', 'case_id', 'created_at', 'version'),
        organization_id: 'meeting', description: 'meeting', due_on: 'meeting', status: 'meeting', done_at: 'meeting', done_note: 'meeting', done_by: 'staff', created_by: 'staff',
      },
      legal_hold: { ...managed('id', 'case_id', 'person_id', 'privacy_request_id'), reason: 'hold', placed_at: 'hold', released_at: 'hold', placed_by: 'staff', released_by: 'staff' },
    },
  },
  {
    key: 'consultations',
    name: '相談受付ファイル',
    work: '福祉総合相談の受付、振り分け及び気がかり相談（住民からの相談）の受付',
    purpose: '相談を受け付け、適切な窓口・事業につなぐため（受付、振り分けの経過と理由の記録、支援ケースへの引継ぎ）',
    scope: '相談の対象となった者及び相談者（本人、家族、関係機関、民生委員・児童委員、近隣住民）、気がかり相談の相談者',
    collection: '来所・電話・訪問・メール・関係機関からの相談、住民向けウェブ相談フォーム（気がかり相談）',
    sensitiveNote: '相談内容・課題（病気・健康・障害、ひきこもり等）として含むことがある',
    providedToNetwork: true,
    recipientsNote: '振り分け先の庁内部署・委託先機関（相談内容の範囲で）。気がかり相談の相談者の氏名・連絡先は提供しない',
    items: [
      { key: 'intake', name: '受付番号・受付日時・受付窓口・相談経路・緊急度・受付者' },
      { key: 'consulter', name: '相談者の続柄・相談者に関する記載（本人以外の氏名・連絡先を含むことがある）' },
      { key: 'about', name: '対象者の年齢・年代・学校段階・地区・家族のみの相談・来所の可否' },
      { key: 'issues', name: '相談内容・課題（主訴を含む）・関係機関数', sensitive: true },
      { key: 'routing', name: '振り分けの経過（振り分け先機関・事業、理由、適用したルール）' },
      { key: 'reporter', name: '気がかり相談の相談者の氏名・電話番号・メールアドレス（匿名の別）' },
      { key: 'staff', name: '記録した職員' },
      MANAGEMENT,
    ],
    columns: {
      consultation: {
        ...managed('id', 'case_id', 'created_at', 'updated_at', 'version', 'source', 'status'),
        reference: 'intake', received_at: 'intake', door_organization_id: 'intake', channel: 'intake', urgency: 'intake',
        consulter_relation: 'consulter', consulter_detail: 'consulter',
        age: 'about', age_band_min: 'about', age_band_max: 'about', school_stage: 'about', area_id: 'about', family_only: 'about', cannot_visit: 'about',
        issue_tags: 'issues', main_issue: 'issues', summary: 'issues', organizations_involved: 'issues',
        holder_organization_id: 'routing', routing_version: 'routing', destination_organization_id: 'routing', destination_program_id: 'routing',
        recorded_by: 'staff',
      },
      consultation_step: {
        ...managed('consultation_id', 'seq'),
        kind: 'routing', from_organization_id: 'routing', to_organization_id: 'routing', program_id: 'routing', reason: 'routing', rule_key: 'routing',
        followed_suggestion: 'routing', routing_version: 'routing', suggestion: 'routing', at: 'routing', by_user: 'staff',
      },
      concern_report: {
        ...managed('id', 'consultation_id', 'taken_in_at'),
        receipt_code: 'intake', submitted_at: 'intake', about_relation: 'consulter', about_age_band: 'about', area_id: 'about', concern: 'issues',
        reporter_anonymous: 'reporter', reporter_name: 'reporter', reporter_phone: 'reporter', reporter_email: 'reporter',
      },
    },
  },
  {
    key: 'event_registrations',
    name: 'イベント申込者ファイル',
    work: '講演会・研修・交流会等の申込みの受付及び案内',
    purpose: '申込みを受け付け、定員と待ち順を管理し、前日の案内・繰上げの連絡・取消しの受付を行うため（開催後、定めた日数で消去）',
    scope: '住民向けページからイベントに申し込んだ者',
    collection: '住民向けページの申込フォーム（本人の入力。ニックネームで可）',
    sensitiveNote: null,
    providedToNetwork: false,
    recipientsNote: 'なし（住民向けの側にだけ保管し、職員の側には申込数だけが届く）',
    items: [
      { key: 'registrant', name: 'ニックネーム・メールアドレス又は電話番号・お住まいの市区町村（任意）' },
      { key: 'registration', name: '申込みのイベント・申込日時・申込みの状況（申込み・キャンセル待ち）・繰上げ日時・消去予定日・取消用コード（照合用の値）' },
      { key: 'messages', name: '案内の送信（種類、取消用コード、送信日時、試行回数、失敗の理由）' },
      MANAGEMENT,
    ],
    columns: {
      public_event_registration: {
        ...managed('id', 'event_id', 'created_at'),
        nickname: 'registrant', email: 'registrant', phone: 'registrant', from_municipality: 'registrant',
        status: 'registration', cancel_code_hash: 'registration', promoted_at: 'registration', delete_after: 'registration',
      },
      public_event_message: {
        ...managed('id', 'registration_id', 'event_id', 'created_at', 'claimed_until'),
        kind: 'messages', cancel_code: 'messages', sent_at: 'messages', attempts: 'messages', last_error: 'messages',
      },
    },
  },
  {
    key: 'rights_requests',
    name: '保有個人情報開示等請求ファイル',
    work: '保有個人情報の開示・訂正・利用停止の請求に関する事務',
    purpose: '開示・訂正・利用停止の請求を受け付け、法定の期限内に決定し、決定を実施した記録を残すため',
    scope: '開示・訂正・利用停止を請求した者（法定代理人・任意代理人を含む）及び請求に係る本人',
    collection: '請求者から提出された請求書及び本人確認書類',
    sensitiveNote: null,
    providedToNetwork: false,
    recipientsNote: 'なし',
    items: [
      { key: 'request', name: '請求の種類・受付番号・受付日・請求者との関係・請求者（代理人）の氏名・本人確認の方法・請求の内容' },
      { key: 'deadline', name: '決定期限・延長日・延長後の期限・延長の理由' },
      { key: 'decision', name: '決定（全部開示・一部開示・不開示、訂正する・しない、利用停止する・しない）・決定日・理由' },
      { key: 'disclosure', name: '開示の実施（開示日、不開示とした項目とその根拠、開示した内容の要約値）' },
      { key: 'correction', name: '訂正の履歴（項目、訂正前の値、訂正後の値、日時）' },
      { key: 'suspension', name: '利用停止（開始日、解除日、解除の理由）' },
      { key: 'staff', name: '処理した職員' },
      MANAGEMENT,
    ],
    columns: {
      privacy_request: {
        ...managed('id', 'person_id', 'created_at', 'updated_at', 'version', 'alerted'),
        kind: 'request', reference: 'request', received_on: 'request', requester_relation: 'request', requester_name: 'request',
        identity_verification: 'request', content: 'request', requested_changes: 'request',
        deadline: 'deadline', extended_on: 'deadline', extended_to: 'deadline', extension_reason: 'deadline',
        decision: 'decision', decided_on: 'decision', decision_reason: 'decision', decided_changes: 'decision', correction_applied_at: 'correction',
        decided_by: 'staff', created_by: 'staff',
      },
      disclosure_redaction: {
        ...managed('request_id'), unit_key: 'disclosure', redacted: 'disclosure', ground: 'disclosure', reason: 'disclosure', decided_at: 'disclosure', decided_by: 'staff',
      },
      disclosure_release: {
        ...managed('id', 'request_id'), released_at: 'disclosure', content_sha256: 'disclosure', sections: 'disclosure', redactions: 'disclosure', released_by: 'staff',
      },
      person_correction: {
        ...managed('id', 'person_id', 'request_id'), field: 'correction', old_value: 'correction', new_value: 'correction', corrected_at: 'correction', corrected_by: 'staff',
      },
      use_suspension: {
        ...managed('id', 'person_id', 'request_id'),
        suspended_on: 'suspension', suspended_at: 'suspension', lifted_on: 'suspension', lifted_at: 'suspension', lift_reason: 'suspension',
        suspended_by: 'staff', lifted_by: 'staff',
      },
    },
  },
  {
    key: 'incidents',
    name: '個人情報漏えい等事案記録ファイル',
    work: '保有個人情報の漏えい等の事案への対応に関する事務（個人情報保護法第68条）',
    purpose: '漏えい等の事案の影響を受けた本人を特定し、個人情報保護委員会への報告と本人への通知を期限内に行うため',
    scope: '漏えい等の事案により個人の権利利益が害されるおそれのある本人',
    collection: '監査記録（アクセス記録）の照会及び職員の報告',
    sensitiveNote: null,
    providedToNetwork: false,
    recipientsNote: '個人情報保護委員会（報告の内容に本人を特定する情報は含めない）',
    items: [
      { key: 'affected', name: '事案の対象者・特定の方法・本人への通知日と方法' },
      { key: 'staff', name: '記録した職員' },
      MANAGEMENT,
    ],
    columns: {
      privacy_incident_person: {
        ...managed('incident_id', 'person_id'), source: 'affected', added_at: 'affected', notified_on: 'affected', notification_method: 'affected', added_by: 'staff',
      },
    },
  },
  {
    key: 'consultation_days',
    name: '巡回相談予約ファイル',
    work: '都道府県ひきこもり支援センターの巡回相談（市区町村で開催する相談日）の予約・実施に関する事務',
    purpose: '巡回相談の枠を住民のために予約し、前日に確認の連絡をし、相談の結果と本人が同意したつなぎ先を記録するため',
    scope: '巡回相談を予約した住民（本人・家族）',
    collection: '本人又は家族からの申込み（窓口・電話）',
    sensitiveNote: '主な相談内容に心身の状態等を含むことがある',
    providedToNetwork: false,
    recipientsNote: '都道府県のひきこもり支援センター（呼び名・来所者・連絡先のうち本人が同意した項目に限る）。つなぎ先の機関（本人が同意した要約に限る）',
    items: [
      { key: 'booking', name: '予約（相談日・枠、来所者の別、呼び名、備考）' },
      { key: 'contact', name: '連絡先（電話番号・メールアドレス）・前日連絡の日時' },
      { key: 'consent', name: 'センターへの提供に同意した項目' },
      { key: 'outcome', name: '相談の結果（来所の有無、来所者、主な相談内容、つなぎ先）', sensitive: true },
      { key: 'staff', name: '記録した職員' },
      MANAGEMENT,
    ],
    columns: {
      consultation_day_booking: {
        ...managed('id', 'updated_at'), session_id: 'booking', who: 'booking', nickname: 'booking', note: 'booking', booked_at: 'booking', cancelled_at: 'booking',
        phone: 'contact', email: 'contact', reminder_sent_at: 'contact', consent_scope: 'consent', booked_by: 'staff', cancelled_by: 'staff', cancelled_reason: 'booking',
      },
      // the reminder's delivery (the message is rendered from the booking when sent, so no contact is copied here)
      consultation_day_reminder: {
        ...managed('id', 'booking_id', 'session_id', 'created_at', 'claimed_until', 'attempts', 'last_error'), channel: 'contact', sent_at: 'contact', dropped_at: 'contact',
      },
      consultation_day_session: {
        ...managed('id', 'day_id', 'position', 'starts_at', 'ends_at'), attended: 'outcome', came: 'outcome', main_concern: 'outcome',
        referral_organization_id: 'outcome', referral_consultation_id: 'outcome', outcome_at: 'outcome', outcome_by: 'staff',
      },
    },
  },
  {
    // 支援者交流会・研修: the registrants are staff of municipalities and partner groups, never residents; the
    // partner groups' staff are not the holder's own, so the file is registered (the municipalities' staff alone
    // would fall outside the register, 第75条第2項)
    key: 'supporter_meetings',
    name: '支援者交流会・研修参加者ファイル',
    work: '都道府県ひきこもり支援センターが区市町村・連携団体の職員向けに行う支援者交流会・研修の実施に関する事務',
    purpose: '交流会・研修の参加申込みを受け、定員と出欠を管理し、区市町村ごとの参加状況を集計するため',
    scope: '交流会・研修に申し込んだ区市町村及び連携団体の職員',
    collection: '区市町村職員による申込み（本人又は同僚の分）、連携団体からの電話・メールによる申込み',
    sensitiveNote: null,
    providedToNetwork: false,
    recipientsNote: '招待した区市町村（その区市町村の職員の申込みに限る）',
    items: [
      { key: 'registration', name: '申込み（氏名、所属、職種・役職、連絡先メールアドレス、申込日時、当日参加の別）' },
      { key: 'attendance', name: '出欠' },
      { key: 'meeting', name: '交流会・研修の内容（名称、日時、会場、定員、申込期限、招待先、中止の理由）' },
      { key: 'staff', name: '記録した職員' },
      MANAGEMENT,
    ],
    columns: {
      supporter_meeting: {
        ...managed('id', 'version', 'created_at', 'updated_at'), kind: 'meeting', title: 'meeting', held_on: 'meeting', starts_at: 'meeting', ends_at: 'meeting',
        place: 'meeting', online: 'meeting', capacity: 'meeting', registration_deadline: 'meeting', description: 'meeting', invite_all_covered: 'meeting',
        cancelled_at: 'meeting', cancel_reason: 'meeting', cancelled_by: 'staff', created_by: 'staff',
      },
      supporter_meeting_invitee: { ...managed('meeting_id'), invitee_kind: 'meeting', invitee_id: 'meeting' },
      supporter_meeting_registration: {
        ...managed('id', 'meeting_id', 'person_key'), invitee_id: 'registration', name: 'registration', section: 'registration', job: 'registration', email: 'registration',
        walk_in: 'registration', registered_at: 'registration', cancelled_at: 'registration', attended: 'attendance', attendance_at: 'attendance',
        registered_by: 'staff', cancelled_by: 'staff', attendance_by: 'staff',
      },
    },
  },
];

/**
 * Tables that hold data about a person: those with a person_id or case_id
 * column, and those that refer (by foreign key) to one of them, to any depth.
 * Read from the database's catalogue, so a table added later is covered.
 */
export async function tablesAboutPersons(db: Db): Promise<string[]> {
  const { rows: cols } = await db.query<{ table_name: string }>(
    `SELECT DISTINCT table_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND column_name IN ('person_id', 'case_id')`);
  const { rows: fks } = await db.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent FROM pg_constraint c
     JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = current_schema()`);
  const found = new Set<string>(['person', 'support_case', ...cols.map((c) => c.table_name)]);
  for (let grew = true; grew;) {
    grew = false;
    for (const fk of fks)
      if (found.has(fk.parent) && !found.has(fk.child)) {
        found.add(fk.child);
        grew = true;
      }
  }
  return [...found].sort();
}

export interface RegisterEntry {
  key: string;
  name: string;
  holder: string;
  work: string;
  purpose: string;
  scope: string;
  collection: string;
  sensitive: boolean;
  sensitiveNote: string | null;
  items: { key: string; name: string; sensitive: boolean; columns: string[] }[];
  recipients: { id: string; name: string; kind: string }[];
  recipientsNote: string;
  /** Who takes requests for disclosure, correction and suspension of use. */
  requestsTo: string[];
}

export interface FileRegister {
  municipality: { id: string; name: string };
  files: RegisterEntry[];
  /** Columns of tables about a person that no file registers: should be empty (a test keeps it so). */
  unregistered: string[];
}

/** The register generated from the schema: every column of the files' tables under its item. */
export async function fileRegister(db: Db, municipalityId: string): Promise<FileRegister> {
  const { rows: columns } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`);
  const { rows: muni } = await db.query<{ name: string }>('SELECT name FROM municipality WHERE id = $1', [municipalityId]);
  // 経常的提供先: the network's organisations outside city hall; sections inside it use the file, they are not given it
  const { rows: external } = await db.query<{ id: string; name: string; kind: string }>(
    'SELECT id, name, kind FROM organization WHERE municipality_id = $1 AND active AND NOT internal ORDER BY kind, name', [municipalityId]);
  const { rows: officers } = await db.query<{ name: string }>(
    `SELECT DISTINCT o.name FROM membership m JOIN organization o ON o.municipality_id = m.municipality_id AND o.id = m.organization_id
     WHERE m.municipality_id = $1 AND m.role = 'privacy_officer' AND m.active ORDER BY o.name`, [municipalityId]);
  const byTable = new Map<string, string[]>();
  for (const c of columns) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
  const files = FILES.map((f) => ({
    key: f.key, name: f.name, holder: muni[0]?.name ?? '', work: f.work, purpose: f.purpose, scope: f.scope, collection: f.collection,
    sensitive: f.sensitiveNote !== null, sensitiveNote: f.sensitiveNote,
    items: f.items.map((i) => ({
      key: i.key, name: i.name, sensitive: !!i.sensitive,
      columns: Object.entries(f.columns).flatMap(([t, cols]) => (byTable.get(t) ?? []).filter((c) => cols[c] === i.key).map((c) => `${t}.${c}`)),
    })),
    recipients: f.providedToNetwork ? external : [],
    recipientsNote: f.recipientsNote,
    requestsTo: officers.length ? officers.map((o) => `${o.name}（保護管理者）`) : ['保護管理者'],
  }));
  const registered = new Set(FILES.flatMap((f) => Object.entries(f.columns).flatMap(([t, cols]) => Object.keys(cols).map((c) => `${t}.${c}`))));
  const unregistered = (await tablesAboutPersons(db)).flatMap((t) => (byTable.get(t) ?? []).map((c) => `${t}.${c}`)).filter((tc) => !registered.has(tc));
  return { municipality: { id: municipalityId, name: muni[0]?.name ?? '' }, files, unregistered };
}
