import { directDependencies, unusedDependencies } from '../../scripts/deps-report'

/** Dependency hygiene that needs no registry (the rest is `npm run deps`). */
it('every package.json entry has a user: a file names it, or a recorded reason says who loads it', () => {
  expect(unusedDependencies()).toEqual({ unused: [], staleReasons: [] })
})

it('holds every Taro package at exactly 4.2.1 (the version policy in the README)', () => {
  const taro = Object.entries(directDependencies()).filter(([n]) => n.startsWith('@tarojs/') || n === 'babel-preset-taro')
  expect(taro.length).toBeGreaterThan(5)
  for (const [name, range] of taro) expect([name, range]).toEqual([name, '4.2.1'])
})
