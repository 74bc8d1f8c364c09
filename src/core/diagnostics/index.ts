export * from './diagnostic.js'
