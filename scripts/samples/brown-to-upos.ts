// Brown corpus tags -> Universal POS tags (UD v2 UPOS). Decorations are removed first: -tl (title),
// -hl (headline), -nc (cited word), a trailing * (negation, as in "don't" = do*), and for contractions
// (ppss+bem, "I'm") the first part decides. fw-* (foreign words) are X.
// Be/have/do and modals map to AUX: Brown does not tell auxiliary from main-verb uses, and most are auxiliary.

export const BROWN_TO_UPOS: Readonly<Record<string, string>> = {
  // determiners, articles, quantifiers
  at: 'DET', dt: 'DET', dti: 'DET', dts: 'DET', dtx: 'DET', abn: 'DET', abx: 'DET', 'dt$': 'DET',
  ap: 'ADJ', 'ap$': 'ADJ', od: 'ADJ',
  // adjectives
  jj: 'ADJ', jjr: 'ADJ', jjs: 'ADJ', jjt: 'ADJ', 'jj$': 'ADJ',
  // nouns and proper nouns
  nn: 'NOUN', nns: 'NOUN', 'nn$': 'NOUN', 'nns$': 'NOUN', nr: 'NOUN', nrs: 'NOUN', 'nr$': 'NOUN',
  np: 'PROPN', nps: 'PROPN', 'np$': 'PROPN', 'nps$': 'PROPN',
  // pronouns
  pn: 'PRON', 'pn$': 'PRON', 'pp$': 'PRON', 'pp$$': 'PRON', ppl: 'PRON', ppls: 'PRON', ppo: 'PRON', pps: 'PRON', ppss: 'PRON',
  wdt: 'PRON', 'wp$': 'PRON', wpo: 'PRON', wps: 'PRON', ex: 'PRON',
  // verbs and auxiliaries
  vb: 'VERB', vbd: 'VERB', vbg: 'VERB', vbn: 'VERB', vbz: 'VERB',
  be: 'AUX', bed: 'AUX', bedz: 'AUX', beg: 'AUX', bem: 'AUX', ben: 'AUX', ber: 'AUX', bez: 'AUX',
  hv: 'AUX', hvd: 'AUX', hvg: 'AUX', hvn: 'AUX', hvz: 'AUX',
  do: 'AUX', dod: 'AUX', doz: 'AUX', md: 'AUX',
  // adverbs and qualifiers
  rb: 'ADV', rbr: 'ADV', rbt: 'ADV', rn: 'ADV', 'rb$': 'ADV', ql: 'ADV', qlp: 'ADV', abl: 'ADV', wql: 'ADV', wrb: 'ADV',
  // adpositions, conjunctions, particles
  in: 'ADP', rp: 'ADP', cc: 'CCONJ', cs: 'SCONJ', to: 'PART', '*': 'PART',
  cd: 'NUM', 'cd$': 'NUM', uh: 'INTJ', nil: 'X',
  // punctuation (Brown tags punctuation with itself)
  '.': 'PUNCT', ',': 'PUNCT', ':': 'PUNCT', ';': 'PUNCT', '(': 'PUNCT', ')': 'PUNCT', '--': 'PUNCT', "''": 'PUNCT', '``': 'PUNCT', "'": 'PUNCT',
};

export function brownToUpos(brownTag: string): string {
  let tag = brownTag.toLowerCase();
  if (tag.startsWith('fw-')) return 'X';
  tag = tag.split('+')[0];
  while (/-(tl|hl|nc)$/.test(tag)) tag = tag.slice(0, -3);
  if (tag.length > 1 && tag.endsWith('*')) tag = tag.slice(0, -1);
  return BROWN_TO_UPOS[tag] ?? 'X';
}
