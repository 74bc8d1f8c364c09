// The `yaml` package's concrete syntax tree, for edits that must keep a file's comments and
// layout byte for byte (image-policy setters rewrite single scalars in place).
export { CST, Composer, Parser } from 'yaml'
