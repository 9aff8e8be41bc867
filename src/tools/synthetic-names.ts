import type { Rng } from './rng.ts';

/*
 * FICTIONAL NAMES ONLY. Persons of the synthetic data set get a name made by
 * combining one of these common surnames with one of these common given names,
 * at random. No list of real people was used, none is consulted, and a
 * generated name stands for nobody: any likeness to a real person's name is
 * the chance that comes with common names (like 山田 太郎 on a sample form).
 * Municipality names of the fictional municipalities (fictional-profiles.ts)
 * are made the same way and carry 99xxxx codes, which no real 全国地方公共団体コード uses.
 */

/** Common surnames: kanji and katakana reading. */
export const SURNAMES: readonly (readonly [string, string])[] = [
  ['佐藤', 'サトウ'], ['鈴木', 'スズキ'], ['高橋', 'タカハシ'], ['田中', 'タナカ'], ['伊藤', 'イトウ'], ['渡辺', 'ワタナベ'],
  ['山本', 'ヤマモト'], ['中村', 'ナカムラ'], ['小林', 'コバヤシ'], ['加藤', 'カトウ'], ['吉田', 'ヨシダ'], ['山田', 'ヤマダ'],
  ['佐々木', 'ササキ'], ['山口', 'ヤマグチ'], ['松本', 'マツモト'], ['井上', 'イノウエ'], ['木村', 'キムラ'], ['林', 'ハヤシ'],
  ['斎藤', 'サイトウ'], ['清水', 'シミズ'], ['山崎', 'ヤマザキ'], ['森', 'モリ'], ['池田', 'イケダ'], ['橋本', 'ハシモト'],
  ['阿部', 'アベ'], ['石川', 'イシカワ'], ['山下', 'ヤマシタ'], ['中島', 'ナカジマ'], ['石井', 'イシイ'], ['小川', 'オガワ'],
  ['前田', 'マエダ'], ['岡田', 'オカダ'], ['長谷川', 'ハセガワ'], ['藤田', 'フジタ'], ['後藤', 'ゴトウ'], ['近藤', 'コンドウ'],
  ['村上', 'ムラカミ'], ['遠藤', 'エンドウ'], ['青木', 'アオキ'], ['坂本', 'サカモト'], ['福田', 'フクダ'], ['太田', 'オオタ'],
  ['西村', 'ニシムラ'], ['藤井', 'フジイ'], ['金子', 'カネコ'], ['岡本', 'オカモト'], ['藤原', 'フジワラ'], ['中野', 'ナカノ'],
  ['三浦', 'ミウラ'], ['原田', 'ハラダ'], ['中川', 'ナカガワ'], ['松田', 'マツダ'], ['竹内', 'タケウチ'], ['小野', 'オノ'],
  ['田村', 'タムラ'], ['中山', 'ナカヤマ'], ['和田', 'ワダ'], ['石田', 'イシダ'], ['森田', 'モリタ'], ['上野', 'ウエノ'],
];

type Era = 'old' | 'mid' | 'young';

/** Common given names by the generation they are typical of: kanji, reading, era. */
const MALE: readonly (readonly [string, string, Era])[] = [
  ['茂', 'シゲル', 'old'], ['博', 'ヒロシ', 'old'], ['清', 'キヨシ', 'old'], ['勇', 'イサム', 'old'], ['正男', 'マサオ', 'old'], ['進', 'ススム', 'old'],
  ['明', 'アキラ', 'old'], ['実', 'ミノル', 'old'], ['修', 'オサム', 'mid'], ['隆', 'タカシ', 'mid'], ['誠', 'マコト', 'mid'], ['浩二', 'コウジ', 'mid'],
  ['健一', 'ケンイチ', 'mid'], ['一郎', 'イチロウ', 'mid'], ['正人', 'マサト', 'mid'], ['秀樹', 'ヒデキ', 'mid'], ['直樹', 'ナオキ', 'mid'], ['和也', 'カズヤ', 'mid'],
  ['達也', 'タツヤ', 'mid'], ['雄一', 'ユウイチ', 'mid'], ['大輔', 'ダイスケ', 'young'], ['拓也', 'タクヤ', 'young'], ['健太', 'ケンタ', 'young'], ['翔太', 'ショウタ', 'young'],
  ['俊介', 'シュンスケ', 'young'], ['亮', 'リョウ', 'young'], ['翼', 'ツバサ', 'young'], ['蓮', 'レン', 'young'], ['悠斗', 'ユウト', 'young'], ['陽太', 'ヨウタ', 'young'],
];
const FEMALE: readonly (readonly [string, string, Era])[] = [
  ['節子', 'セツコ', 'old'], ['和子', 'カズコ', 'old'], ['幸子', 'サチコ', 'old'], ['洋子', 'ヨウコ', 'old'], ['美智子', 'ミチコ', 'old'], ['静江', 'シズエ', 'old'],
  ['典子', 'ノリコ', 'old'], ['恵子', 'ケイコ', 'old'], ['久美子', 'クミコ', 'mid'], ['由美', 'ユミ', 'mid'], ['真由美', 'マユミ', 'mid'], ['智子', 'トモコ', 'mid'],
  ['直美', 'ナオミ', 'mid'], ['裕子', 'ユウコ', 'mid'], ['明美', 'アケミ', 'mid'], ['恵', 'メグミ', 'mid'], ['陽子', 'ヨウコ', 'mid'], ['千尋', 'チヒロ', 'mid'],
  ['愛', 'アイ', 'young'], ['舞', 'マイ', 'young'], ['彩', 'アヤ', 'young'], ['美咲', 'ミサキ', 'young'], ['沙織', 'サオリ', 'young'], ['結衣', 'ユイ', 'young'],
  ['陽菜', 'ヒナ', 'young'], ['葵', 'アオイ', 'young'], ['さくら', 'サクラ', 'young'], ['彩花', 'アヤカ', 'young'], ['優花', 'ユウカ', 'young'], ['七海', 'ナナミ', 'young'],
];

const eraOf = (birthYear: number): Era => (birthYear < 1955 ? 'old' : birthYear < 1985 ? 'mid' : 'young');

export interface FictionalName {
  name: string;
  kana: string;
  gender: '男' | '女';
}

/** A fictional name: a common surname and a given name typical of the birth year. */
export function fictionalName(rng: Rng, birthYear: number, gender: '男' | '女', surname?: readonly [string, string]): FictionalName {
  const [sn, sk] = surname ?? rng.pick(SURNAMES);
  const era = eraOf(birthYear);
  const pool = (gender === '男' ? MALE : FEMALE).filter((g) => g[2] === era || (rng.chance(0.15) && g[2] !== 'old' && era !== 'old'));
  const [gn, gk] = rng.pick(pool.length ? pool : gender === '男' ? MALE : FEMALE);
  return { name: `${sn} ${gn}`, kana: `${sk} ${gk}`, gender };
}

/** Syllables for fictional place names: kanji and reading. */
const PLACE_HEADS: readonly (readonly [string, string])[] = [
  ['星', 'ほし'], ['月', 'つき'], ['桜', 'さくら'], ['若葉', 'わかば'], ['青葉', 'あおば'], ['緑', 'みどり'], ['朝日', 'あさひ'], ['白', 'しら'],
  ['花', 'はな'], ['鈴', 'すず'], ['風', 'かぜ'], ['雲', 'くも'], ['虹', 'にじ'], ['光', 'ひかり'], ['空', 'そら'], ['霞', 'かすみ'],
  ['楓', 'かえで'], ['萩', 'はぎ'], ['菫', 'すみれ'], ['柚', 'ゆず'], ['椿', 'つばき'], ['藤', 'ふじ'],
];
const PLACE_TAILS: readonly (readonly [string, string])[] = [
  ['野', 'の'], ['川', 'かわ'], ['丘', 'おか'], ['原', 'はら'], ['台', 'だい'], ['里', 'さと'], ['森', 'もり'], ['沢', 'さわ'], ['浜', 'はま'], ['谷', 'や'],
];

/** `count` distinct fictional municipality names (kanji without 市/町/村, and reading). */
export function fictionalPlaceNames(rng: Rng, count: number): { name: string; kana: string }[] {
  const all = PLACE_HEADS.flatMap(([h, hk]) => PLACE_TAILS.map(([t, tk]) => ({ name: h + t, kana: hk + tk })));
  for (let i = all.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [all[i], all[j]] = [all[j], all[i]];
  }
  if (count > all.length) throw new Error(`Only ${all.length} fictional place names can be made.`);
  return all.slice(0, count);
}
