import type { Db } from '../../db/index.ts';
import { eventFigures } from '../programs/events.ts';
import { outreachFigures } from '../programs/outreach.ts';
import { placementFigures } from '../programs/placements.ts';
import type { Count, Period, ProgramActivity, Row } from './types.ts';

export type { ProgramActivity };


const STAGE: Record<string, [string, string]> = {
  no_contact: ['接触できていない', 'No contact'], family_contact: ['家族を通じて接触', 'Contact through family'], meets_visitor: ['訪問者と会える', 'Meets the visitor'],
  goes_out: ['外出できる', 'Goes out'], connected: ['医療・サービスにつながった', 'Connected to care or a service'],
};
const DESTINATION: Record<string, [string, string]> = {
  medical: ['終了：医療へ', 'Ended: to medical care'], program: ['終了：事業へ', 'Ended: to a program'], drop_in: ['終了：居場所へ', 'Ended: to a drop-in place'], none: ['終了：つなぎ先なし', 'Ended: nowhere'],
};
const EVENT: Record<string, [string, string]> = {
  public_lecture: ['講演会', 'Public lecture'], commissioner_training: ['民生委員研修', 'Training for welfare commissioners'],
  supporters_exchange: ['支援者交流会', "Supporters' exchange meeting"], peer_group: ['当事者の集い', 'Peer gathering'],
};

export async function programActivity(db: Db, mid: string, period: Period, c: (n: number) => Count): Promise<ProgramActivity> {
  const [o, p, e] = await Promise.all([
    outreachFigures(db, mid, period.from, period.to), placementFigures(db, mid, period.from, period.to), eventFigures(db, mid, period.from, period.to),
  ]);
  const row = (key: string, [label, labelEn]: [string, string], n: number): Row => ({ key, label, labelEn, count: c(n) });
  return {
    outreach: [
      row('enrolled', ['登録者', 'People enrolled'], o.enrolled), row('visits', ['訪問回数', 'Visits'], o.visits),
      ...Object.entries(o.reached).map(([k, n]) => row(`reached:${k}`, [`到達：${STAGE[k]?.[0] ?? k}`, `Reached: ${STAGE[k]?.[1] ?? k}`], n)),
      ...Object.entries(o.ended).map(([k, n]) => row(`ended:${k}`, DESTINATION[k] ?? [k, k], n)),
    ],
    work: [
      row('records', ['受け入れ先へのつなぎ', 'Placements made'], p.records), row('trials', ['体験', 'Trials'], p.trials),
      row('jobs', ['就職', 'Jobs started'], p.jobsStarted), row('ended', ['終了', 'Ended'], p.ended),
      // the number checked is in the label: suppressed like the count, or the label would give a small number away
      ...p.retention.map((r) => row(`still:${r.months}`, [`${r.months}か月後も就労（確認${c(r.checked)}件中）`, `In work after ${r.months} months (of ${c(r.checked)} checked)`], r.stillWorking)),
    ],
    events: [
      ...e.events.flatMap((x) => [
        row(`${x.kind}:sessions`, [`${EVENT[x.kind]?.[0] ?? x.kind}：開催回数`, `${EVENT[x.kind]?.[1] ?? x.kind}: sessions`], x.sessions),
        row(`${x.kind}:came`, [`${EVENT[x.kind]?.[0] ?? x.kind}：参加者`, `${EVENT[x.kind]?.[1] ?? x.kind}: attendance`], x.came),
        row(`${x.kind}:first`, [`${EVENT[x.kind]?.[0] ?? x.kind}：初参加`, `${EVENT[x.kind]?.[1] ?? x.kind}: first time`], x.firstTimers),
      ]),
      row('dropin:days', ['居場所：開所日数', 'Drop-in places: days open'], e.dropIn.days), row('dropin:visitors', ['居場所：来所者', 'Drop-in places: visitors'], e.dropIn.visitors),
      row('dropin:first', ['居場所：初めての来所', 'Drop-in places: first visits'], e.dropIn.firstTimers),
    ],
  };
}
