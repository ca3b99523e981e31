/** Text made safe inside HTML (element content and double-quoted attributes). */
export const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/**
 * A report's whole HTML page: its head – the title and a Content-Security-Policy that lets the page load
 * nothing (every figure is inline SVG, images are data: URLs, styles inline), so a report opened from disk
 * stays offline – around the page's own `css` and `body`. One shell for the run and the sweep reports.
 */
export function reportPage(title: string, css: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<style>
${css.trim()}
</style></head><body>
${body.trim()}
</body></html>
`;
}
