/** cluster-behaviour.md §2.4 "Observed condition timeline", shared by the CNO tests and the kubectl procedure tests. */
import assert from "node:assert/strict";

/** Stages (1)–(7), each the conditions (without the NetworkTypeMigration prefix) one status write shows. */
export const LIVE_TIMELINE: string[][] = [
  [
    "InProgress=True/NetworkTypeMigrationStarted",
    "MTUReady=False/NetworkTypeMigrationInitialized",
    "TargetCNIAvailable=False/NetworkTypeMigrationInitialized",
    "TargetCNIInUse=False/NetworkTypeMigrationInitialized",
    "OriginalCNIPurged=False/NetworkTypeMigrationInitialized",
  ],
  [
    "TargetCNIAvailable=True/TargetCNIDeployed",
    "MTUReady=False/MachineConfigNotApplied",
    "TargetCNIInUse=False/MachineConfigNotApplied",
    "OriginalCNIPurged=False/OriginalCNINotPurged",
  ],
  ["MTUReady=False/MachineConfigPoolsUpdating", "TargetCNIInUse=False/MachineConfigPoolsUpdating"],
  ["MTUReady=True/MachineConfigApplied"],
  ["MTUReady=False/MachineConfigPoolsUpdating", "TargetCNIInUse=False/MachineConfigPoolsUpdating"],
  ["TargetCNIInUse=True/MachineConfigApplied", "MTUReady=False/MachineConfigNotApplied"],
  [
    "InProgress=False/NetworkTypeMigrationCompleted",
    "MTUReady=Unknown/NetworkTypeMigrationNotInProgress",
    "TargetCNIAvailable=Unknown/NetworkTypeMigrationNotInProgress",
    "TargetCNIInUse=Unknown/NetworkTypeMigrationNotInProgress",
    "OriginalCNIPurged=Unknown/NetworkTypeMigrationNotInProgress",
  ],
];

/** Every expected set must appear in the timeline in this order (other lines may come between). */
export function assertSubsequence(timeline: string[], expected: string[][]): void {
  let i = 0;
  for (const want of expected) {
    while (i < timeline.length && !want.every((w) => timeline[i].split(" ").includes(w))) i++;
    assert.ok(i < timeline.length, `timeline lacks [${want.join(" ")}] in order:\n${timeline.join("\n")}`);
    i++;
  }
}
