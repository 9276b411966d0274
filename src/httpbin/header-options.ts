/** A header like `multipart/form-data; boundary="x"` split into its value and parameters. */
export interface HeaderOptions {
  /** The part before the first `;`, trimmed and lower-cased (werkzeug compares mimetypes that way). */
  value: string;
  /** Parameter names lower-cased; quoted values unquoted (`\"` and `\\` unescaped). First occurrence wins. */
  params: Map<string, string>;
}

/** werkzeug `parse_options_header`, minus RFC 2231 continuations, which no LuaSocket-era client sends. */
export function parseHeaderOptions(header: string | undefined): HeaderOptions {
  const params = new Map<string, string>();
  if (header === undefined) return { value: '', params };
  const text = header;
  let pos = text.indexOf(';');
  const value = (pos === -1 ? text : text.slice(0, pos)).trim().toLowerCase();
  while (pos !== -1 && pos < text.length) {
    pos++;
    const eq = text.indexOf('=', pos);
    const semi = text.indexOf(';', pos);
    if (eq === -1 || (semi !== -1 && semi < eq)) {
      pos = semi;
      continue;
    }
    const name = text.slice(pos, eq).trim().toLowerCase();
    pos = eq + 1;
    while (text[pos] === ' ' || text[pos] === '\t') pos++;
    let paramValue: string;
    if (text[pos] === '"') {
      let end = pos + 1;
      let unquoted = '';
      while (end < text.length && text[end] !== '"') {
        if (text[end] === '\\' && end + 1 < text.length) end++;
        unquoted += text[end];
        end++;
      }
      paramValue = unquoted;
      pos = text.indexOf(';', end);
    } else {
      const end = text.indexOf(';', pos);
      paramValue = (end === -1 ? text.slice(pos) : text.slice(pos, end)).trim();
      pos = end;
    }
    if (name !== '' && !params.has(name)) params.set(name, paramValue);
  }
  return { value, params };
}
