/** Breaks words onto lines of at most `max` characters (Plot draws "\n" as a new line), so narrow panels' labels never run into each other. */
export function wrap(text: string, max: number): string {
  const lines: string[] = [];
  for (const word of text.split(" ")) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 1 + word.length <= max) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.join("\n");
}
