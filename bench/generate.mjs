// Deterministic release feeds for the benchmark, in the widget's native schema v1.
//   node bench/generate.mjs [--sizes 1000,10000,100000] [--body-words W] [--force] [--stats]
// writes bench/out/feed-<N>.json (with --body-words, bodies of about W words instead of ~600, into
// bench/out/feed-<N>-w<W>.json: the archive's 1,000,000-release build uses 50). A feed is generated only when it is missing or was made by an
// older version of this generator (bench/out/feed-<N>.json.meta). Release i is the same in every
// feed (its random stream is seeded from i alone), so feed-1000 is the first 1,000 releases of
// feed-10000 before sorting. The file is streamed out in chunks: the 100,000 feed is ~400 MB.
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH = dirname(fileURLToPath(import.meta.url));
export const OUT = join(BENCH, "out");
/** Bump when the output changes, so cached feeds are regenerated. */
const GENERATOR_VERSION = 4;
const SEED = 0x5eed2025;

// ---------------------------------------------------------------------------------------------
// Seeded PRNG

function mulberry32(a) {
  return function () {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator seeded from one release index (and the global seed), with a few helpers. */
function rngFor(index) {
  const next = mulberry32((SEED ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  next(); // the first draw of mulberry32 with nearby seeds is correlated; skip it
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  return { next, int, pick };
}

// ---------------------------------------------------------------------------------------------
// Vocabulary: a few hundred real words typed in, expanded with simple suffix rules into ~3,000
// word forms, drawn with a Zipf-like weight so that some words are common and most are rare.

const NOUNS = `account action administration adviser agency agreement allegation analysis appeal
application approach area arrest assessment asset attorney audit authority award balance bank
benefit bill board budget building business buyer campaign candidate capacity case center chair
charge charity child choice citizen city claim client coalition code commission committee
community company complaint compliance condition conduct conference consumer contract contractor
cost council county court coverage credit crime crisis customer damage data deadline debt
decision defendant deficit department deposit detail developer director district document donor
driver economy effort election employee employer enforcement energy evidence expansion expense
facility family fee fine finding firm fund funding future grant group guidance hearing household
housing impact income increase industry information injury inspection institution insurance
interest investigation investment investor issue job judge judgment jury labor landlord law
lawsuit lawmaker leader legislation lender letter license loan manager market measure member
message method million model month neighborhood network notice number office officer official
operator opportunity order organization outcome owner package panel parent partner partnership
patient payment penalty permit person plan plant policy portion practice premium price priority
program project property proposal prosecutor protection provider purchase question rate record
recovery reform region regulation regulator relief report request requirement research resident
resource response restitution result review right risk rule safety sale savings schedule scheme
school sector security seller senior service session share site source staff standard statement
student study subsidy supplier supply support system task taxpayer team technology tenant term
testimony threat total trade training transaction treatment trial trust unit update utility
value vehicle vendor victim violation volunteer warning waste website witness worker workforce
year`;

const VERBS = `accept access achieve acquire act address adopt advance affect allow announce appeal
apply approve argue arrest assist attempt award ban block bring build calculate call challenge
charge claim collect comment commit complete comply conclude conduct confirm connect consider
contact continue contribute cover create cut decide defend deliver demand deny deploy describe
design determine develop direct disclose discover distribute document educate eliminate employ
enable encourage end enforce ensure establish evaluate examine expand expect explain extend face
file finance follow force form fund gain grant help highlight hire hold identify implement
improve include increase inform inspect install intend introduce invest investigate issue join
launch lead limit list maintain manage mark meet monitor move negotiate notify obtain offer open
operate order oversee own participate pay perform permit plan present prevent process produce
prohibit promote propose prosecute protect provide publish pursue raise reach receive recover
reduce refer reform refund register release remain remove repair replace report represent
request require resolve respond restore return review secure seek sell serve settle share sign
strengthen submit supervise support survey suspend target test track train transfer treat urge
verify violate warn work`;

const ADJECTIVES = `able active additional administrative annual available broad careful central
civil clear common complete comprehensive critical current direct economic effective eligible
environmental essential fair federal final financial first formal former full general global
historic illegal immediate important independent individual initial innovative joint large
legal local long major medical modern municipal national necessary new normal official ongoing
open original overall particular permanent personal physical political possible potential
primary prior private proper public quick rapid rare recent regional regular related reliable
remote responsible rural safe serious significant similar social special specific stable strong
substantial successful sudden sufficient total traditional unfair unlawful urban usual valuable
vulnerable wide`;

const FUNCTION_WORDS = `the the the the the of of of of and and and to to to a a in in in for for on with
that by as at from is was will has have be are this which their its an or after under into over
more than also all other who these not would been were against about between during including
through while each any such both most only same new our its them they it`;

const FIRST_NAMES = `James Maria Robert Linda Michael Patricia David Jennifer William Elizabeth Richard
Susan Joseph Jessica Thomas Sarah Daniel Karen Matthew Nancy Anthony Lisa Mark Betty Paul Sandra
Steven Ashley Andrew Kimberly Kenneth Donna Joshua Emily Kevin Michelle Brian Carol George Amanda
Timothy Melissa José Renée Zoë Chloé Andrés Inés`;

const SURNAMES = `Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez
Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris
Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill
Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Kilmartin Peña
Núñez Müller Gómez Ibáñez`;

const PLACES = `Providence Springfield Riverside Franklin Greenville Bristol Clinton Fairview Salem
Madison Georgetown Arlington Ashland Dover Oxford Milton Newport Jackson Burlington Manchester
Kingston Lancaster Hudson Marion São Paulo Bogotá Québec Montréal`;

const OFFICES = [
  "Office of the Attorney General",
  "Department of Justice",
  "Department of Health",
  "Department of Labor and Training",
  "Department of Environmental Management",
  "Office of the Governor",
  "Division of Taxation",
  "Department of Transportation",
  "Consumer Protection Unit",
  "Office of the General Treasurer",
];

const ROLES = ["Attorney General", "Governor", "Secretary", "Commissioner", "Director", "Treasurer"];

/** Topic name → words that releases on the topic use often (they are in the vocabulary too). */
const TOPICS = {
  Immigration: "immigration immigrants immigrant visa asylum border deportation naturalization",
  "Consumer Protection": "consumer consumers protection deceptive refunds scam scams marketing",
  Fraud: "fraud fraudulent scheme defrauded fraudsters forgery embezzlement",
  Settlements: "settlement settlements settled settle agreement restitution",
  Environment: "environmental pollution emissions wetlands contamination climate",
  "Public Safety": "safety police emergency firearms patrol officers",
  "Civil Rights": "discrimination equality civil rights accessibility harassment",
  "Health Care": "health hospitals clinics patients coverage medical",
  Opioids: "opioid opioids overdose fentanyl addiction naloxone",
  "Elder Abuse": "elder elderly caregivers exploitation seniors nursing",
  Housing: "housing tenants landlords eviction mortgage rental",
  Education: "education students schools teachers tuition classrooms",
  Energy: "energy electricity renewable solar utilities grid",
  "Labor Rights": "wages overtime workers employers misclassification payroll",
  Taxes: "tax taxes taxpayers revenue audit filing",
  Antitrust: "antitrust competition merger monopoly pricing collusion",
  Privacy: "privacy personal data breach disclosure tracking",
  Cybersecurity: "cybersecurity ransomware hackers breach phishing malware",
  Transportation: "transportation highways bridges transit roads vehicles",
  Veterans: "veterans military servicemembers benefits families",
  "Child Protection": "children child welfare abuse neglect foster",
  "Gun Violence": "guns firearms violence shootings ghost",
  "Human Trafficking": "trafficking traffickers victims exploitation survivors",
  "Drug Enforcement": "drugs narcotics trafficking seizure cocaine",
  "Prescription Drugs": "prescription pharmacies pharmaceutical drug pricing",
  Tobacco: "tobacco vaping cigarettes nicotine retailers",
  Charities: "charities charitable donations nonprofit solicitation",
  Utilities: "utilities ratepayers rates electric gas",
  Insurance: "insurance insurers premiums claims policyholders",
  Banking: "banking banks lenders loans deposits overdraft",
  "Student Loans": "student loans borrowers servicers forgiveness debt",
  Elections: "elections voters ballots voting registration polling",
  "Open Government": "transparency records disclosure meetings access",
  "Public Corruption": "corruption bribery kickbacks officials indictment",
  "Medicaid Fraud": "medicaid billing providers fraud overbilling",
  "Criminal Justice": "sentencing prosecution defendants conviction parole",
  "Multistate Actions": "multistate coalition states nationwide bipartisan",
  Technology: "technology platforms software online internet",
  Agriculture: "agriculture farmers farms crops livestock",
  "Small Business": "small businesses entrepreneurs loans licensing",
};
const TOPIC_NAMES = Object.keys(TOPICS);

const words = (s) => s.split(/\s+/).filter(Boolean);

/** Verbs that double their last consonant before -ed, -ing and -er. */
const DOUBLING = new Set(words("ban commit permit plan submit cut refer transfer admit control"));

/** Irregular past tenses among the verbs. */
const PAST = { bring: "brought", build: "built", cut: "cut", hold: "held", lead: "led", meet: "met",
  pay: "paid", sell: "sold", seek: "sought", face: "faced" };

function verbForms(v) {
  const stem = DOUBLING.has(v) ? v + v.at(-1) : v.endsWith("e") ? v.slice(0, -1) : v;
  const consonantY = /[^aeiou]y$/.test(v);
  const s = /(s|sh|ch|x|z)$/.test(v) ? v + "es" : consonantY ? v.slice(0, -1) + "ies" : v + "s";
  const ed = PAST[v] ?? v.endsWith("e") ? v + "d" : consonantY ? v.slice(0, -1) + "ied" : stem + "ed";
  const er = v.endsWith("e") ? v + "r" : consonantY ? v.slice(0, -1) + "ier" : stem + "er";
  return [v, s, ed, stem + "ing", er, er + "s"];
}
function nounForms(n) {
  if (/(s|sh|ch|x|z)$/.test(n)) return [n, n + "es"];
  if (/[^aeiou]y$/.test(n)) return [n, n.slice(0, -1) + "ies"];
  return [n, n + "s", n + "'s"];
}
function adjectiveForms(a) {
  if (a.endsWith("ly")) return [a];
  const ly = a.endsWith("le") ? a.slice(0, -1) + "y"
    : a.endsWith("ic") ? a + "ally"
    : a.endsWith("ll") ? a + "y"
    : /[^aeiou]y$/.test(a) ? a.slice(0, -1) + "ily"
    : a + "ly";
  return [a, ly];
}

/** The vocabulary, deterministic: every form, shuffled with a fixed seed, with Zipf weights. */
function buildVocabulary() {
  const forms = new Set();
  for (const n of words(NOUNS)) nounForms(n).forEach((f) => forms.add(f));
  for (const v of words(VERBS)) verbForms(v).forEach((f) => forms.add(f));
  for (const a of words(ADJECTIVES)) adjectiveForms(a).forEach((f) => forms.add(f));
  for (const t of Object.values(TOPICS)) words(t).forEach((f) => forms.add(f));
  // Shorter words are more common (as in real text): rank by length plus a seeded jitter.
  const { next } = rngFor(-1);
  const list = [...forms]
    .sort()
    .map((w) => [w, w.length + next() * 6])
    .sort((a, b) => a[1] - b[1])
    .map(([w]) => w);
  // Cumulative Zipf weights 1/(rank+20): drawn by binary search.
  const cumulative = new Float64Array(list.length);
  let total = 0;
  for (let i = 0; i < list.length; i++) cumulative[i] = total += 1 / (i + 20);
  return { list, cumulative, total };
}

const VOCAB = buildVocabulary();
const FUNCTION = words(FUNCTION_WORDS);
const FIRST = words(FIRST_NAMES);
const LAST = words(SURNAMES);
const PLACE = words(PLACES);

function zipfWord(next) {
  const x = next() * VOCAB.total;
  let lo = 0;
  let hi = VOCAB.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (VOCAB.cumulative[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return VOCAB.list[lo];
}

const capitalize = (w) => w.charAt(0).toUpperCase() + w.slice(1);

// ---------------------------------------------------------------------------------------------
// One release

function makeRelease(index, bodyWords = 600) {
  const r = rngFor(index);
  const { next, int, pick } = r;
  const tags = [];
  const tagCount = int(1, 4);
  while (tags.length < tagCount) {
    const t = pick(TOPIC_NAMES);
    if (!tags.includes(t)) tags.push(t);
  }
  const topicWords = tags.flatMap((t) => words(TOPICS[t]));
  const person = () => `${pick(FIRST)} ${pick(LAST)}`;
  const official = `${pick(ROLES)} ${pick(LAST)}`;

  /** One word: mostly function words and Zipf-drawn vocabulary, some topic words and names. */
  const word = () => {
    const x = next();
    if (x < 0.5) return pick(FUNCTION);
    if (x < 0.55) return pick(topicWords);
    if (x < 0.555) return pick(next() < 0.5 ? LAST : PLACE);
    return zipfWord(next);
  };
  const sentence = (n) => {
    const ws = [];
    for (let i = 0; i < n; i++) ws.push(word());
    if (next() < 0.15) ws.splice(int(1, ws.length - 1), 0, `**${pick(topicWords)}**`);
    return capitalize(ws.join(" ")) + ".";
  };
  /** About `n` words as sentences of 12–26 words. */
  const sentences = (n) => {
    const out = [];
    let left = n;
    while (left > 0) {
      const k = Math.min(left, int(12, 26));
      out.push(sentence(Math.max(k, 4)));
      left -= k;
    }
    return out.join(" ");
  };

  // Title: ~15 words, in title case, naming the official and a topic word.
  const titleWords = [];
  const titleLength = int(10, 13);
  for (let i = 0; i < titleLength; i++) titleWords.push(i === 2 ? pick(topicWords) : word());
  const title = `${official} ${capitalize(pick(words("announces secures files reaches urges launches warns joins recovers")))} ${titleWords.map(capitalize).join(" ")}`;

  const year = int(2006, 2025);
  const month = int(1, 12);
  const day = int(1, month === 2 ? 28 : [4, 6, 9, 11].includes(month) ? 30 : 31);
  const date = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;

  // Body: ~600 words in 5–8 paragraphs, sometimes a block quote or a list. Shorter bodies keep
  // the same draws (so the other fields are the same release's) and use fewer paragraphs.
  const drawn = int(5, 8);
  const paragraphs = bodyWords === 600 ? drawn : Math.max(1, Math.min(drawn, Math.round(bodyWords / 25)));
  const perParagraph = Math.round(bodyWords / paragraphs);
  const body = [];
  const quoteAt = next() < 0.35 ? int(1, paragraphs - 1) : -1;
  const listAt = next() < 0.25 ? int(1, paragraphs - 1) : -1;
  for (let p = 0; p < paragraphs; p++) {
    if (p === quoteAt) {
      body.push(`> "${sentences(perParagraph - 4).replace(/\.$/, "")}," said ${official}.`);
    } else if (p === listAt) {
      const items = int(3, 5);
      const each = Math.round(perParagraph / items);
      body.push(Array.from({ length: items }, () => `- ${sentence(each - 1)}`).join("\n"));
    } else {
      const text = sentences(perParagraph);
      body.push(p === 0 ? `${pick(PLACE).toUpperCase()} – ${text}` : text);
    }
  }
  if (next() < 0.2) body.push(`For more information, contact ${person()} at the ${pick(OFFICES)}.`);

  const id = `r${String(index + 1).padStart(6, "0")}`;
  return {
    id,
    title,
    date,
    summary: sentences(int(36, 44)).replace(/\*\*/g, ""),
    body: body.join("\n\n"),
    agency: pick(OFFICES),
    tags,
    url: `https://agency.example.gov/news/${id}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Files

export const feedPath = (n, bodyWords = 600) =>
  join(OUT, bodyWords === 600 ? `feed-${n}.json` : `feed-${n}-w${bodyWords}.json`);

async function isCurrent(n, bodyWords) {
  const meta = await readFile(`${feedPath(n, bodyWords)}.meta`, "utf8").then(JSON.parse, () => null);
  const info = await stat(feedPath(n, bodyWords)).catch(() => null);
  return Boolean(meta && info && meta.version === GENERATOR_VERSION && meta.seed === SEED && meta.bytes === info.size);
}

/** Writes feed-<n>.json (to a temporary name first, so an interrupted run leaves no feed). */
async function writeFeed(n, bodyWords) {
  await mkdir(OUT, { recursive: true });
  const tmp = `${feedPath(n, bodyWords)}.tmp`;
  const out = createWriteStream(tmp);
  const write = (s) => (out.write(s) ? null : new Promise((done) => out.once("drain", done)));
  let chunk = `{"version":"1","agency":{"name":"Benchmark Agency"},"releases":[\n`;
  for (let i = 0; i < n; i++) {
    chunk += (i ? ",\n" : "") + JSON.stringify(makeRelease(i, bodyWords));
    if (chunk.length > 1 << 22) {
      await write(chunk);
      chunk = "";
    }
  }
  await write(chunk + "\n]}\n");
  await new Promise((done, fail) => out.end((e) => (e ? fail(e) : done())));
  await rename(tmp, feedPath(n, bodyWords));
  const { size } = await stat(feedPath(n, bodyWords));
  await writeFile(`${feedPath(n, bodyWords)}.meta`, JSON.stringify({ version: GENERATOR_VERSION, seed: SEED, releases: n, bytes: size }) + "\n");
  return size;
}

/** Makes sure bench/out/feed-<n>.json exists and is current; returns its path. */
export async function ensureFeed(n, { force = false, log = console.log, bodyWords = 600 } = {}) {
  if (!force && (await isCurrent(n, bodyWords))) return feedPath(n, bodyWords);
  const started = Date.now();
  log(`generating ${feedPath(n, bodyWords)} (${n.toLocaleString("en-US")} releases)…`);
  const size = await writeFeed(n, bodyWords);
  log(`  ${(size / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return feedPath(n, bodyWords);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--sizes");
  const sizes = at >= 0 ? args[at + 1].split(",").map(Number) : [1000, 10000, 100000];
  if (args.includes("--stats")) {
    const n = sizes[0];
    const queries = ["immig", "consum", "settle", "fraud", "peña", "são"];
    const inList = Object.fromEntries(queries.map((q) => [q, 0]));
    const inAny = Object.fromEntries(queries.map((q) => [q, 0]));
    let bytes = 0;
    let bodyWords = 0;
    for (let i = 0; i < n; i++) {
      const r = makeRelease(i);
      bytes += JSON.stringify(r).length + 2;
      bodyWords += r.body.split(/\s+/).length;
      const listed = [r.title, r.summary, r.agency, r.tags.join(", ")].join(" ").toLowerCase();
      const all = `${listed} ${r.body.toLowerCase()}`;
      for (const q of queries) {
        if (listed.includes(q)) inList[q]++;
        if (all.includes(q)) inAny[q]++;
      }
    }
    console.log(`vocabulary: ${VOCAB.list.length} word forms; ${n} releases: ${(bytes / n).toFixed(0)} B/release, ${(bodyWords / n).toFixed(0)} body words/release`);
    console.log("query     in title/summary/agency/tags   anywhere incl. body");
    for (const q of queries) {
      console.log(`${q.padEnd(9)} ${((100 * inList[q]) / n).toFixed(1).padStart(6)} %` + `${((100 * inAny[q]) / n).toFixed(1).padStart(28)} %`);
    }
  } else {
    const at = args.indexOf("--body-words");
    const bodyWords = at >= 0 ? Number(args[at + 1]) : 600;
    for (const n of sizes) await ensureFeed(n, { force: args.includes("--force"), bodyWords });
  }
}
