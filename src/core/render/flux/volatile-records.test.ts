import { VolatileRecords } from './volatile-records.js'

describe('VolatileRecords (records of units that hold a Secret, kept in a warm worker only)', () => {
  it('gives back what was kept for a key, replaces it, and forgets a key given no records', () => {
    const kept = new VolatileRecords<string>()
    expect(kept.get('K a')).toEqual([])
    kept.set('K a', ['one'])
    kept.set('__proto__', ['proto'])
    expect(kept.get('K a')).toEqual(['one'])
    expect(kept.get('__proto__')).toEqual(['proto'])
    kept.set('K a', ['two', 'one'])
    expect(kept.get('K a')).toEqual(['two', 'one'])
    kept.set('K a', [])
    expect(kept.get('K a')).toEqual([])
    expect(kept.size).toBe(1)
  })

  it('admits no new unit when full and evicts none; replacing a kept unit still works', () => {
    const kept = new VolatileRecords<string>(2)
    kept.set('a', ['1'])
    kept.set('b', ['2'])
    kept.set('c', ['3'])
    expect([kept.get('a'), kept.get('b'), kept.get('c')]).toEqual([['1'], ['2'], []])
    kept.set('b', ['2 again'])
    expect(kept.get('b')).toEqual(['2 again'])
  })

  it('lets go of units no run used in the last eight', () => {
    const kept = new VolatileRecords<string>()
    kept.set('used', ['u'])
    kept.set('idle', ['i'])
    for (let run = 1; run < 8; run++) {
      kept.endRun()
      expect(kept.get('used')).toEqual(['u'])
    }
    kept.endRun()
    expect(kept.get('used')).toEqual(['u'])
    expect(kept.get('idle')).toEqual([])
    expect(kept.size).toBe(1)
  })
})
