// Normalization of user text and labels, so that equal-looking inputs give equal records (and versions).

/** NFC, outer whitespace trimmed; inner line breaks and spacing kept. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').trim();
}

/** Labels are compared as trimmed NFC strings. */
export function normalizeLabel(label: string): string {
  return label.normalize('NFC').trim();
}
