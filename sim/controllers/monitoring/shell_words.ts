/** Splits a `sh -c` command line into words the way a POSIX shell does (quotes, backslashes, `|`, `;`, `&&`). */

export class ShellSyntaxError extends Error {}

/** Returns the words; unquoted `|`, `||`, `;`, `&&` come back as separate operator words prefixed with "\0". */
export function shellWords(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let inWord = false;
  let i = 0;
  const flush = () => {
    if (inWord) out.push(cur);
    cur = "";
    inWord = false;
  };
  while (i < line.length) {
    const ch = line[i];
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError("Syntax error: Unterminated quoted string");
      cur += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      i++;
      inWord = true;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && '"\\$`\n'.includes(line[i + 1] ?? "")) i++;
        cur += line[i++];
      }
      if (i >= line.length) throw new ShellSyntaxError("Syntax error: Unterminated quoted string");
      i++;
    } else if (ch === "\\") {
      if (i + 1 < line.length) cur += line[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(ch)) {
      flush();
      i++;
    } else if (ch === "|" || ch === ";" || ch === "&") {
      flush();
      const two = line.slice(i, i + 2);
      const op = two === "||" || two === "&&" ? two : ch;
      out.push("\0" + op);
      i += op.length;
    } else {
      cur += ch;
      inWord = true;
      i++;
    }
  }
  flush();
  return out;
}
