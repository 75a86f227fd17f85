const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * The instant a wall-clock reset names, as codex prints it (`try again at 3:15 PM`, `at Dec 29th,
 * 2025 10:15 PM`; chrono's `%-I:%M %p` and `%b %-d` in the machine's local time, which is ours):
 * the next such time after `now`. Undefined when the text is not one of these forms. Pure.
 */
export function resolveClockTime(text: string, now: number): number | undefined {
  const m = /^(?:([A-Za-z]{3})[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?,? (?:(\d{4}),? )?)?(\d{1,2}):(\d{2}) ?([AaPp])\.?[Mm]\.?$/.exec(
    text.trim(),
  );
  if (!m) return undefined;
  let hour = Number(m[4]) % 12;
  if ((m[6] ?? '').toLowerCase() === 'p') hour += 12;
  const minute = Number(m[5]);
  const base = new Date(now);
  if (m[1] === undefined) {
    const at = new Date(base.getFullYear(), base.getMonth(), base.getDate(), hour, minute);
    // a time of day already past today is tomorrow's
    return at.getTime() > now ? at.getTime() : new Date(at.getFullYear(), at.getMonth(), at.getDate() + 1, hour, minute).getTime();
  }
  const month = MONTHS.indexOf(m[1].toLowerCase());
  if (month < 0) return undefined;
  const day = Number(m[2]);
  if (m[3] !== undefined) return new Date(Number(m[3]), month, day, hour, minute).getTime();
  const thisYear = new Date(base.getFullYear(), month, day, hour, minute);
  return thisYear.getTime() > now ? thisYear.getTime() : new Date(base.getFullYear() + 1, month, day, hour, minute).getTime();
}
