/** The values flags with a fixed set take, and what each means (shown in completion). */
export const METHODS = ["auto", "offline", "live"] as const;
export const MIGRATION_METHODS = ["offline", "live"] as const;
export const OUTPUTS = ["human", "json", "yaml"] as const;
export const COLORS = ["auto", "always", "never"] as const;
export const REBOOTS = ["exec", "ssh", "none"] as const;
export const SHELLS = ["bash", "zsh", "fish"] as const;

/** Descriptions of enum values, for completion. Keyed by long flag name. */
export const VALUE_DESCRIPTIONS: Record<string, Record<string, string>> = {
  method: {
    auto: "evaluate both methods and use the recommended one",
    offline: "documented offline migration (cluster-wide disruption, two reboots)",
    live: "limited live migration (4.16+, no network outage)",
  },
  output: { human: "text for people", json: "JSON", yaml: "YAML" },
  color: { auto: "colour on a terminal", always: "always colour", never: "never colour" },
  reboot: {
    exec: "through the machine-config-daemon pod on each node",
    ssh: "ssh to each node's InternalIP",
    none: "print what to reboot and wait for you",
  },
};
