/**
 * Shell completion with Cobra's protocol, so kubectl and oc can complete `kubectl ovn-migrate …` through
 * the kubectl_complete-ovn_migrate / oc_complete-ovn_migrate helpers (KEP-2379) and the standalone binary
 * through `completion bash|zsh|fish`.
 *
 * `__complete <args…> <toComplete>` prints one candidate per line (`value<TAB>description`; no description
 * for `__completeNoDesc`) and a last line `:<directive>`. It walks commander's command tree directly.
 */
import type { CommandUnknownOpts, Option } from "commander";
import { ExitCode } from "../exit_codes.ts";
import type { Io } from "./context.ts";
import { readEnv } from "./io.ts";
import { VALUE_DESCRIPTIONS } from "./choices.ts";

/** Cobra's ShellCompDirective bits. */
export const Directive = {
  Default: 0,
  Error: 1,
  NoSpace: 2,
  NoFileComp: 4,
  FilterFileExt: 8,
  FilterDirs: 16,
  KeepOrder: 32,
} as const;

export interface Candidate {
  value: string;
  description?: string;
}

export interface Completion {
  candidates: Candidate[];
  directive: number;
}

export interface CheckInfo {
  id: string;
  title?: string;
}

/** Where completion finds check ids (replaceable in tests). */
export type CheckSource = () => Promise<CheckInfo[]>;

/** Check ids from lib/verify/checks/index.ts when that module exists; none otherwise. */
export async function loadCheckIds(): Promise<CheckInfo[]> {
  try {
    const mod = await import("../verify/checks/index.ts");
    const checks: unknown = (mod as Record<string, unknown>).CHECKS;
    if (!Array.isArray(checks)) return [];
    return checks
      .filter((c): c is CheckInfo => typeof c === "object" && c !== null && typeof c.id === "string")
      .map((c) => ({ id: c.id, title: typeof c.title === "string" ? c.title : undefined }));
  } catch {
    return [];
  }
}

/** Names of contexts, clusters or users in the kubeconfig kubectl would read (nothing when unreadable). */
export async function kubeconfigNames(
  kind: "contexts" | "clusters" | "users",
  kubeconfigFlag: string | undefined,
  env: (name: string) => string | undefined = readEnv,
): Promise<string[]> {
  const files = kubeconfigFlag
    ? [kubeconfigFlag]
    : (env("KUBECONFIG") ?? "").split(Deno.build.os === "windows" ? ";" : ":")
      .filter((f) => f.length > 0);
  if (files.length === 0) {
    const home = env("HOME") ?? env("USERPROFILE");
    if (home) files.push(`${home}/.kube/config`);
  }
  const { load } = await import("js-yaml");
  const names: string[] = [];
  for (const file of files) {
    try {
      const doc = load(await Deno.readTextFile(file)) as Record<string, unknown> | null;
      const list = doc?.[kind];
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        const name = (item as { name?: unknown })?.name;
        if (typeof name === "string" && !names.includes(name)) names.push(name);
      }
    } catch {
      // Completion must never fail loudly; a missing or broken file just offers nothing.
    }
  }
  return names;
}

const KUBECONFIG_NAME_FLAGS: Record<string, "contexts" | "clusters" | "users"> = {
  "--context": "contexts",
  "--cluster": "clusters",
  "--user": "users",
};

/** Flags whose value is a file path (shell file completion) or a directory. */
const FILE_FLAGS = new Set([
  "--kubeconfig",
  "--certificate-authority",
  "--facts",
  "--dump-facts",
  "--network-policies",
  "--ssh-key",
]);
const DIR_FLAGS = new Set(["--backup-dir", "--dir"]);
const CHECK_FLAGS = new Set(["--skip-check", "--only"]);
/** Flags that may be given more than once, so they stay on offer after use. */
const REPEATABLE = new Set(["--as-group", "--skip-check", "--only"]);

interface Cmd {
  name(): string;
  aliases(): string[];
  description(): string;
  summary(): string;
  readonly commands: readonly CommandUnknownOpts[];
  readonly options: readonly Option[];
  readonly parent: CommandUnknownOpts | null;
  readonly registeredArguments: readonly { argChoices?: string[]; description: string }[];
}

function isHidden(cmd: Cmd): boolean {
  return (cmd as unknown as { _hidden?: boolean })._hidden === true;
}

function firstLine(text: string | undefined): string | undefined {
  return text?.split("\n")[0]?.trim() || undefined;
}

function takesValue(opt: Option): boolean {
  return opt.required || opt.optional;
}

/** This command's options and those of every ancestor (commander's root options work everywhere). */
function optionsInScope(cmd: Cmd): Option[] {
  const out: Option[] = [];
  for (let c: Cmd | null = cmd; c; c = c.parent as Cmd | null) out.push(...c.options);
  return out;
}

function findOption(cmd: Cmd, flag: string): Option | undefined {
  return optionsInScope(cmd).find((o) => o.long === flag || o.short === flag);
}

const HELP_FLAGS: Candidate[] = [{ value: "--help", description: "show help for the command" }];

/** Computes the completion for `args` (the words before the cursor) and `toComplete` (the word at it). */
export async function complete(
  root: CommandUnknownOpts,
  args: string[],
  toComplete: string,
  checks: CheckSource = loadCheckIds,
): Promise<Completion> {
  let cmd = root as unknown as Cmd;
  const used = new Set<string>();
  let pending: Option | undefined;
  let positional = 0;
  const values = new Map<string, string>();
  let afterDashDash = false;

  for (const arg of args) {
    if (pending) {
      if (pending.long) values.set(pending.long, arg);
      pending = undefined;
      continue;
    }
    if (afterDashDash) {
      positional++;
      continue;
    }
    if (arg === "--") {
      afterDashDash = true;
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      const eq = arg.indexOf("=");
      const flag = eq > 0 ? arg.slice(0, eq) : arg.startsWith("--") ? arg : arg.slice(0, 2);
      const opt = findOption(cmd, flag);
      if (opt) {
        used.add(opt.long ?? flag);
        if (eq > 0 && opt.long) values.set(opt.long, arg.slice(eq + 1));
        // `--flag value` and `-v 6` consume the next word; `--flag=value` and `-v6` do not.
        const inlineValue = eq > 0 || (!arg.startsWith("--") && arg.length > 2);
        if (takesValue(opt) && !inlineValue && opt.required) pending = opt;
      }
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === arg || c.aliases().includes(arg)) as Cmd | undefined;
    if (sub && positional === 0) cmd = sub;
    else positional++;
  }

  if (pending) return await completeValue(pending, toComplete, checks, values);

  if (!afterDashDash && toComplete.startsWith("-")) {
    const eq = toComplete.indexOf("=");
    if (eq > 0) {
      const opt = findOption(cmd, toComplete.slice(0, eq));
      if (!opt || !takesValue(opt)) return { candidates: [], directive: Directive.NoFileComp };
      return await completeValue(opt, toComplete.slice(eq + 1), checks, values);
    }
    return { candidates: flagCandidates(cmd, toComplete, used), directive: Directive.NoFileComp };
  }

  const candidates: Candidate[] = [];
  const isRoot = cmd === (root as unknown as Cmd);
  // `help <command>`: commander's implicit help command is not in the tree, so offer the commands.
  const helpTopic = isRoot && positional === 1 && args.filter((a) => !a.startsWith("-")).at(-1) === "help";
  if ((positional === 0 || helpTopic) && cmd.commands.length > 0) {
    for (const sub of cmd.commands as unknown as Cmd[]) {
      if (isHidden(sub) || !sub.name().startsWith(toComplete)) continue;
      candidates.push({ value: sub.name(), description: firstLine(sub.summary() || sub.description()) });
    }
    if (isRoot && !helpTopic && "help".startsWith(toComplete)) {
      candidates.push({ value: "help", description: "show help for a command" });
    }
  } else {
    const argument = cmd.registeredArguments[positional];
    for (const choice of argument?.argChoices ?? []) {
      if (choice.startsWith(toComplete)) candidates.push({ value: choice });
    }
  }
  return { candidates, directive: Directive.NoFileComp };
}

function flagCandidates(cmd: Cmd, toComplete: string, used: Set<string>): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const opt of optionsInScope(cmd)) {
    if (opt.hidden || !opt.long || seen.has(opt.long)) continue;
    seen.add(opt.long);
    if (used.has(opt.long) && !REPEATABLE.has(opt.long)) continue;
    const description = firstLine(opt.description);
    if (opt.long.startsWith(toComplete)) out.push({ value: opt.long, description });
    // Like Cobra: short forms only when the user typed a single dash.
    if (toComplete === "-" && opt.short) out.push({ value: opt.short, description });
  }
  for (const h of HELP_FLAGS) if (h.value.startsWith(toComplete)) out.push(h);
  if (toComplete === "-") out.push({ value: "-h", description: HELP_FLAGS[0].description });
  return out;
}

async function completeValue(
  opt: Option,
  prefix: string,
  checks: CheckSource,
  values: Map<string, string>,
): Promise<Completion> {
  const flag = opt.long ?? "";
  const kind = KUBECONFIG_NAME_FLAGS[flag];
  if (kind) {
    const names = await kubeconfigNames(kind, values.get("--kubeconfig"));
    return {
      candidates: names.filter((n) => n.startsWith(prefix)).map((value) => ({ value })),
      directive: Directive.NoFileComp,
    };
  }
  if (FILE_FLAGS.has(flag)) return { candidates: [], directive: Directive.Default };
  if (DIR_FLAGS.has(flag)) return { candidates: [], directive: Directive.FilterDirs };
  if (CHECK_FLAGS.has(flag)) {
    const ids = await checks();
    return {
      candidates: ids.filter((c) => c.id.startsWith(prefix)).map((c) => ({ value: c.id, description: c.title })),
      directive: Directive.NoFileComp,
    };
  }
  const descriptions = VALUE_DESCRIPTIONS[flag.replace(/^--/, "")] ?? {};
  const candidates = (opt.argChoices ?? [])
    .filter((v) => v.startsWith(prefix))
    .map((v) => ({ value: v, description: descriptions[v] }));
  return { candidates, directive: Directive.NoFileComp };
}

const DIRECTIVE_NAMES: [number, string][] = [
  [Directive.Error, "ShellCompDirectiveError"],
  [Directive.NoSpace, "ShellCompDirectiveNoSpace"],
  [Directive.NoFileComp, "ShellCompDirectiveNoFileComp"],
  [Directive.FilterFileExt, "ShellCompDirectiveFilterFileExt"],
  [Directive.FilterDirs, "ShellCompDirectiveFilterDirs"],
  [Directive.KeepOrder, "ShellCompDirectiveKeepOrder"],
];

function directiveName(d: number): string {
  const names = DIRECTIVE_NAMES.filter(([bit]) => (d & bit) !== 0).map(([, n]) => n);
  return names.length ? names.join(", ") : "ShellCompDirectiveDefault";
}

/** Cobra's wire format. */
export function formatCompletion(c: Completion, withDescriptions: boolean): string {
  const lines = c.candidates.map((cand) =>
    withDescriptions && cand.description ? `${cand.value}\t${cand.description.replace(/[\t\n]/g, " ")}` : cand.value
  );
  lines.push(`:${c.directive}`);
  return lines.join("\n") + "\n";
}

/** Serves `__complete`/`__completeNoDesc`: the last argument is the word being completed. */
export async function runCompletionRequest(
  root: CommandUnknownOpts,
  words: string[],
  withDescriptions: boolean,
  io: Io,
  checks: CheckSource = loadCheckIds,
): Promise<ExitCode> {
  const toComplete = words.length > 0 ? words[words.length - 1] : "";
  const args = words.slice(0, -1);
  const result = await complete(root, args, toComplete, checks);
  io.stdout(formatCompletion(result, withDescriptions));
  io.stderr(`Completion ended with directive: ${directiveName(result.directive)}\n`);
  return ExitCode.Ok;
}

export type Shell = "bash" | "zsh" | "fish";

/** Names the scripts register: the standalone binary and the plugin executables. */
const COMMAND_NAMES = ["oc-ovn-migrate", "kubectl-ovn_migrate", "oc-ovn_migrate"];

const BASH = `# bash completion for oc-ovn-migrate (Cobra __complete protocol)
# Load it with:  source <(oc-ovn-migrate completion bash)
_oc_ovn_migrate() {
    local cur words cword
    if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
        _get_comp_words_by_ref -n =: cur words cword
    else
        cur="\${COMP_WORDS[COMP_CWORD]}"
        words=("\${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi
    local out line directive=0
    local -a comps=()
    out=$("\${words[0]}" __completeNoDesc "\${words[@]:1:cword-1}" "$cur" 2>/dev/null) || return
    while IFS='' read -r line; do
        if [[ $line == :* ]]; then directive=\${line#:}; elif [[ -n $line ]]; then comps+=("$line"); fi
    done <<< "$out"
    (( directive & 1 )) && return
    [[ $cur == -*=* ]] && cur=\${cur#*=}
    if (( directive & 16 )); then
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -d -- "$cur"))
        return
    fi
    if (( \${#comps[@]} == 0 )); then
        if (( (directive & 4) == 0 )); then
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        return
    fi
    (( directive & 2 )) && compopt -o nospace 2>/dev/null
    local IFS=$'\\n'
    COMPREPLY=($(compgen -W "\${comps[*]}" -- "$cur"))
}
complete -F _oc_ovn_migrate ${COMMAND_NAMES.join(" ")}
`;

const ZSH = `#compdef ${COMMAND_NAMES.join(" ")}
# zsh completion for oc-ovn-migrate (Cobra __complete protocol)
# Install with:  oc-ovn-migrate completion zsh > "\${fpath[1]}/_oc-ovn-migrate"
_oc_ovn_migrate() {
    local cur="\${words[CURRENT]}" out line value desc directive=0 prefix=""
    local -a comps
    out=$("\${words[1]}" __complete "\${(@)words[2,CURRENT-1]}" "$cur" 2>/dev/null) || return 1
    for line in "\${(@f)out}"; do
        if [[ $line == :* ]]; then
            directive=\${line#:}
        elif [[ -n $line ]]; then
            value=\${line%%$'\\t'*}
            desc=\${line#*$'\\t'}
            value=\${value//:/\\\\:}
            if [[ $desc != "$line" ]]; then comps+=("$value:$desc"); else comps+=("$value"); fi
        fi
    done
    (( directive & 1 )) && return 1
    [[ $cur == -*=* ]] && prefix="\${cur%%=*}="
    if (( directive & 16 )); then _files -/; return; fi
    if (( \${#comps} == 0 )); then
        (( directive & 4 )) || _files
        return
    fi
    if (( directive & 2 )); then
        _describe -t values 'completions' comps -P "$prefix" -S ''
    else
        _describe -t values 'completions' comps -P "$prefix"
    fi
}
if [ "$funcstack[1]" = "_oc_ovn_migrate" ]; then
    _oc_ovn_migrate "$@"
else
    compdef _oc_ovn_migrate ${COMMAND_NAMES.join(" ")}
fi
`;

const FISH = `# fish completion for oc-ovn-migrate (Cobra __complete protocol)
# Install with:  oc-ovn-migrate completion fish > ~/.config/fish/completions/oc-ovn-migrate.fish
function __oc_ovn_migrate_request
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    $tokens[1] __complete $tokens[2..-1] "$current" 2>/dev/null
end
function __oc_ovn_migrate_candidates
    set -l out (__oc_ovn_migrate_request)
    test (count $out) -gt 0; or return
    set -l directive (string replace -r '^:' '' -- $out[-1])
    test (math "$directive % 2") -eq 1; and return
    set -l prefix (string match -r -- '^-[^=]*=' (commandline -ct))
    for c in $out[1..-2]
        printf '%s%s\\n' "$prefix" "$c"
    end
end
function __oc_ovn_migrate_wants_files
    set -l out (__oc_ovn_migrate_request)
    test (count $out) -eq 1; and test "$out[1]" = ":0"
end
`;

export function completionScript(shell: Shell): string {
  if (shell === "bash") return BASH;
  if (shell === "zsh") return ZSH;
  const lines = COMMAND_NAMES.flatMap((name) => [
    `complete -c ${name} -f -n 'not __oc_ovn_migrate_wants_files' -a '(__oc_ovn_migrate_candidates)'`,
    `complete -c ${name} -F -n '__oc_ovn_migrate_wants_files'`,
  ]);
  return FISH + lines.join("\n") + "\n";
}
