/**
 * The confirmation prompt's settings. @inquirer colours with node:util styleText, which knows NO_COLOR but
 * not `--color never`: without colour every style is the identity.
 */
const plain = (text: string) => text;

export const PLAIN_PROMPT_THEME = {
  prefix: { idle: "?", done: "✔" },
  spinner: { interval: 80, frames: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] },
  style: {
    answer: plain,
    message: plain,
    error: (text: string) => `> ${text}`,
    defaultAnswer: (text: string) => `(${text})`,
    help: plain,
    highlight: plain,
    key: (text: string) => `<${text}>`,
    confirmDefault: (text: string) => text.toUpperCase(),
  },
};

/** What `confirm` gets: "no" is the default, as a disruptive step should be. */
export function confirmConfig(question: string, color: boolean) {
  return { message: question, default: false, ...(color ? {} : { theme: PLAIN_PROMPT_THEME }) };
}
