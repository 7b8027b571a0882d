/** Small assertion helpers over node:assert/strict (deno std is unavailable). */
import assertNode from "node:assert/strict";

export function assert(value: unknown, message = "assertion failed"): asserts value {
  assertNode.ok(value, message);
}
export const assertEquals = <T>(actual: T, expected: T, message = "values differ") =>
  assertNode.deepStrictEqual(actual, expected, message);
export const assertMatch = (actual: string, re: RegExp, message = `${JSON.stringify(actual)} does not match ${re}`) =>
  assertNode.match(actual, re, message);
export const assertNoMatch = (actual: string, re: RegExp, message = `${JSON.stringify(actual)} matches ${re}`) =>
  assertNode.doesNotMatch(actual, re, message);

// deno-lint-ignore no-explicit-any
type Ctor<E> = new (...args: any[]) => E;

export function assertThrows<E extends Error>(fn: () => unknown, type: Ctor<E>): E {
  try {
    fn();
  } catch (err) {
    assertNode.ok(err instanceof type, `expected ${type.name}, got ${err}`);
    return err as E;
  }
  throw new assertNode.AssertionError({ message: `expected ${type.name} to be thrown` });
}

export async function assertRejects<E extends Error>(fn: () => Promise<unknown>, type: Ctor<E>): Promise<E> {
  try {
    await fn();
  } catch (err) {
    assertNode.ok(err instanceof type, `expected ${type.name}, got ${err}`);
    return err as E;
  }
  throw new assertNode.AssertionError({ message: `expected ${type.name} to be thrown` });
}
