/**
 * Setup of the realsdk jest project (jest.config.js).
 *
 * After each test file: nothing the real SDK tried went unanswered or to the network (see
 * tests/helpers/realsdk-requester.ts); then the SDK's requester, http(s) and the environment
 * are put back.
 *
 * Before: the few tests that check the FAKE's own wording, not behaviour the adapters rely
 * on, are skipped here, each with the reason; the real SDK's answer for the same case is
 * checked in tests/realsdk instead.
 */
import { installedSdk } from '../helpers/realsdk-requester'

const FAKE_ONLY: Record<string, string> = {
  'reports a unique conflict with the SDK error shape (-502001, DATABASE_DUPLICATE_WRITE in the message)':
    'the real SDK keeps only the backend message, where the code name need not appear: tests/realsdk/duplicate-write.test.ts',
  'the unique index itself refuses a second default of one owner':
    'asserts the fake wording (DATABASE_DUPLICATE_WRITE in errMsg); the refusal itself is checked in tests/realsdk/duplicate-write.test.ts',
}

const realIt = globalThis.it
const skipping = ((name: string, ...rest: unknown[]) =>
  name in FAKE_ONLY ? realIt.skip(name, () => undefined) : (realIt as (...a: unknown[]) => unknown)(name, ...rest)) as unknown as jest.It
globalThis.it = Object.assign(skipping, realIt)
globalThis.test = globalThis.it

afterAll(() => {
  const sdk = installedSdk()
  if (!sdk) return
  const violations = [...sdk.violations]
  sdk.restore()
  expect(violations).toEqual([])
})
