/**
 * A tiny terminal for tests: enough of VT100 (text with deferred auto-wrap, \n, cursor up/down/column 0,
 * erase line / to end of line) to replay what log-update writes and read the screen it leaves.
 */
export class FakeTerminal {
  lines: string[][] = [[]];
  row = 0;
  col = 0;
  /** Highest row ever written (0-based): how far a redraw ever scrolled. */
  maxRow = 0;

  constructor(readonly columns: number) {}

  write(text: string): void {
    // deno-lint-ignore no-control-regex
    const re = /\x1b\[(\??)(\d*)([A-Za-z])|\n|[^\x1b\n]/gu;
    for (const m of text.matchAll(re)) {
      const t = m[0];
      if (t === "\n") {
        this.#move(this.row + 1);
        this.col = 0;
      } else if (t.startsWith("\x1b[")) {
        const n = Number(m[2] || "1");
        if (m[1] === "?") continue; // synchronized output on/off
        switch (m[3]) {
          case "A":
            this.#move(Math.max(0, this.row - n));
            this.col = Math.min(this.col, this.columns - 1);
            break;
          case "B":
            this.#move(this.row + n);
            break;
          case "G":
            this.col = 0;
            break;
          case "K":
            if (m[2] === "2") this.lines[this.row] = [];
            else this.lines[this.row] = this.lines[this.row].slice(0, this.col);
            break;
          default:
            throw new Error(`FakeTerminal: unsupported escape ${JSON.stringify(t)}`);
        }
      } else {
        if (this.col >= this.columns) {
          this.#move(this.row + 1);
          this.col = 0;
        }
        const line = this.lines[this.row];
        while (line.length < this.col) line.push(" ");
        line[this.col++] = t;
      }
    }
  }

  #move(row: number): void {
    this.row = row;
    while (this.lines.length <= row) this.lines.push([]);
    this.maxRow = Math.max(this.maxRow, row);
  }

  /** The screen's text, trailing blanks dropped. */
  screen(): string {
    const rows = this.lines.map((l) => l.join("").trimEnd());
    while (rows.length && rows[rows.length - 1] === "") rows.pop();
    return rows.join("\n");
  }
}
