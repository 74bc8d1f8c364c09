import { capHeapGrowth } from './heap-growth.js'

describe('heap growth cap of the one-shot processes', () => {
  it('leaves a --heap-growing-percent given to node alone, in either spelling', () => {
    expect(capHeapGrowth(['--heap-growing-percent=20'])).toBe(false)
    expect(capHeapGrowth(['--heap_growing_percent=20'])).toBe(false)
    expect(capHeapGrowth(['--heap-growing-percent'])).toBe(false)
  })

  it('sets the cap otherwise, whatever other node options there are', () => {
    expect(capHeapGrowth(['--max-old-space-size=4096', '--heap-growing-percentage=7'])).toBe(true)
    expect(capHeapGrowth([])).toBe(true)
  })
})
