/**
 * Figures as files for the city's annual report: xlsx with one sheet per
 * breakdown (Japanese headers, the 年度 in 和暦 on every row), and CSV in one
 * long table (UTF-8 with BOM for Excel, or Shift_JIS on request). Both hold
 * aggregates only, built from the same Figures the dashboard shows.
 */
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import type { Count, Row } from './figures.ts';
import type { Figures } from './service.ts';

export interface Table {
  /** Sheet name (at most 31 characters, none of []:*?/\). */
  sheet: string;
  headers: string[];
  rows: (string | number | null)[][];
}

const n = (c: Count) => c;
const rowsOf = (rows: Row[]) => rows.map((r) => [r.label, n(r.count)]);

/** The tables of an export, in the order of the sheets. */
export function figureTables(f: Figures): Table[] {
  const m = f.meetings;
  const r = f.referrals.funnel;
  const a = f.programActivity;
  const summary: (string | number | null)[][] = [
    ['新規相談件数', f.consultations.total, f.previous.consultations],
    ['新規支援ケース数', f.cases.opened, f.previous.casesOpened],
    ['プラン作成件数（初回）', f.cases.plansInitial, null],
    ['再プラン件数', f.cases.plansRevised, null],
    ['プラン作成件数（計）', f.cases.plans, f.previous.plans],
    ['終結件数', f.cases.closed, f.previous.closed],
    ['つなぎ（送付）', r.sent, f.previous.referralsSent],
    ['つなぎ（受諾）', r.accepted, null],
    ['つなぎ（初回接触）', r.firstContact, null],
    ['つなぎ（完了）', r.completed, null],
    ['つなぎ（辞退）', r.declined, null],
    ['つなぎ（差し戻し）', r.returned, null],
  ];
  if (f.rates) {
    summary.push(['人口', f.rates.population, null]);
    summary.push(['新規相談件数（人口10万人当たり・月）', f.rates.consultationsPer100kPerMonth, null]);
    summary.push(['プラン作成件数（人口10万人当たり・月）', f.rates.plansPer100kPerMonth, null]);
  }
  const months = f.consultations.byMonth.map((row, i) => [
    row.label, row.key, row.count, f.cases.openedByMonth[i]?.count ?? 0, f.referrals.byMonth[i]?.count ?? 0, f.previous.consultationsByMonth[i]?.count ?? null,
  ]);
  return [
    { sheet: '概要', headers: ['指標', '件数', '前年度'], rows: summary },
    { sheet: '相談_受付窓口別', headers: ['受付窓口', '件数'], rows: rowsOf(f.consultations.byDoor) },
    { sheet: '相談_相談経路別', headers: ['相談経路', '件数'], rows: rowsOf(f.consultations.byChannel) },
    { sheet: '相談_相談者別', headers: ['相談者', '件数'], rows: rowsOf(f.consultations.byRelation) },
    { sheet: '相談_年代別', headers: ['年代', '件数'], rows: rowsOf(f.consultations.byAgeBand) },
    { sheet: '相談_相談内容別', headers: ['相談内容', '件数'], rows: rowsOf(f.consultations.byIssue) },
    { sheet: '相談_地域別', headers: ['地域', '件数'], rows: rowsOf(f.consultations.byArea) },
    { sheet: '月別', headers: ['月（和暦）', '月', '新規相談件数', '新規支援ケース数', 'つなぎ（送付）', '前年度同月の新規相談件数'], rows: months },
    { sheet: '終結理由別', headers: ['終結理由', '件数'], rows: rowsOf(f.cases.closuresByReason) },
    {
      sheet: 'つなぎ_受け手別',
      headers: ['つなぎ先', '送付', '受諾', '初回接触', '完了', '辞退', '差し戻し', '受諾までの日数（中央値）', '初回接触までの日数（中央値）'],
      rows: f.referrals.perOrganization.map((o) => [
        o.organization.name, o.sent, o.accepted, o.firstContact, o.completed, o.declined, o.returned, o.medianDaysToAcceptance, o.medianDaysToFirstContact,
      ]),
    },
    { sheet: 'つなぎ_送り手別', headers: ['つなぎ元', '件数'], rows: rowsOf(f.referrals.bySender) },
    { sheet: 'つなぎ_経路', headers: ['つなぎ元', 'つなぎ先', '件数'], rows: f.referrals.flows.map((x) => [x.from.name, x.to.name, x.count]) },
    {
      sheet: '会議', headers: ['指標', '件数'],
      rows: [['開催回数', m.sessionsHeld], ['検討したケース数', m.casesReviewed], ['決定事項数', m.decisions], ['期限が期間内の対応事項', m.actionItemsDue], ['うち期限内に完了', m.actionItemsDoneOnTime]],
    },
    { sheet: '事業別', headers: ['事業', 'つなぎ件数'], rows: f.programs.map((p) => [p.program.name, p.referrals]) },
    // what the programs did: only in figures of the whole municipality (programActivity is null for an organisation)
    ...(a ? [
      { sheet: '事業実績_アウトリーチ', headers: ['項目', '件数'], rows: rowsOf(a.outreach) },
      { sheet: '事業実績_参加・就労', headers: ['項目', '件数'], rows: rowsOf(a.work) },
      { sheet: '事業実績_イベント・居場所', headers: ['項目', '件数'], rows: rowsOf(a.events) },
    ] : []),
  ];
}

/** The columns every row starts with: the 年度 in 和暦 and as a number (empty for a range of dates), and the period. */
function periodColumns(f: Figures): { headers: string[]; values: (string | number)[] } {
  return {
    headers: ['年度（和暦）', '年度', '期間（開始）', '期間（終了）'],
    values: [f.period.label, f.period.fiscalYear ?? '', f.period.from, f.period.to],
  };
}

/** Tables with the columns every row starts with (the period), for a workbook or a CSV. */
export interface TableSet {
  tables: Table[];
  period: { headers: string[]; values: (string | number)[] };
  /** The workbook's date: a fixed one, so the same figures give the same file. */
  created: Date;
  /** The 注記 sheet's rows (項目, 内容). */
  about: [string, string][];
}

/** A workbook: one sheet per table, a header row, then the rows; the 注記 sheet last. */
export async function tablesToXlsx(set: TableSet): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tsunagu';
  wb.created = set.created;
  const p = set.period;
  for (const t of set.tables) {
    const ws = wb.addWorksheet(t.sheet);
    ws.addRow([...p.headers, ...t.headers]).font = { bold: true };
    for (const row of t.rows) ws.addRow([...p.values, ...row.map((v) => v ?? '')]);
    ws.columns.forEach((col, i) => { col.width = i < p.headers.length ? 14 : i === p.headers.length ? 36 : 14; });
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  const about = wb.addWorksheet('注記');
  about.addRow(['項目', '内容']).font = { bold: true };
  for (const row of set.about) about.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The workbook of the figures: one sheet per breakdown, a note row on publication figures. */
export async function figuresToXlsx(f: Figures): Promise<Buffer> {
  const about: [string, string][] = [
    ['自治体', f.municipality.name],
    ['対象', f.scope.organization ? `${f.scope.organization.name}が扱う記録` : '自治体全体'],
    ['期間', `${f.period.label}（${f.period.from}〜${f.period.to}）`],
    ['用途', f.view === 'publication' ? `公表用（${f.suppressBelow}未満の件数は「<${f.suppressBelow}」と表示）` : '内部用'],
  ];
  if (f.secondarySuppression) about.push(['「—」', `他の数値からの逆算を防ぐため非表示（合計や他の内訳から「<${f.suppressBelow}」の件数が分からないよう、ほかの件数も伏せています）`]);
  about.push(['相談内容', '1件の相談に複数の相談内容があるときは、それぞれに数えます。']);
  return tablesToXlsx({ tables: figureTables(f), period: periodColumns(f), created: new Date(`${f.period.from}T00:00:00+09:00`), about });
}

export type CsvEncoding = 'utf-8' | 'shift_jis';

/**
 * One long table: every figure on its own row (表, 項目, 指標, 値), so it
 * pivots in Excel. UTF-8 starts with a BOM so Excel reads the Japanese;
 * Shift_JIS (Windows-31J) for software that reads nothing else.
 */
export function figuresToCsv(f: Figures, encoding: CsvEncoding = 'utf-8'): Buffer {
  return tablesToCsv({ tables: figureTables(f), period: periodColumns(f) }, encoding);
}

/** Tables as one long CSV table (表, 項目, 指標, 値), each row after the period's columns. */
export function tablesToCsv(set: Pick<TableSet, 'tables' | 'period'>, encoding: CsvEncoding = 'utf-8'): Buffer {
  const p = set.period;
  const records: (string | number)[][] = [[...p.headers, '表', '項目', '指標', '値']];
  for (const t of set.tables) {
    for (const row of t.rows) {
      const [item, ...values] = row;
      values.forEach((v, i) => {
        if (v === null) return;
        records.push([...p.values, t.sheet, String(item ?? ''), t.headers[i + 1], v]);
      });
    }
  }
  const text = stringify(records, { record_delimiter: '\r\n' });
  // "—" (U+2014) has no Shift_JIS code: the dash Windows-31J writes for it is U+2015 (0x815C)
  return encoding === 'shift_jis'
    ? iconv.encode(text.replaceAll('\u2014', '\u2015'), 'Shift_JIS')
    : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}
