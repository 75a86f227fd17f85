/** Removes terminal colour codes (gemini prints its refusals in red) so patterns see plain text. */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
