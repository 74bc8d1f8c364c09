import type { SetterChange } from './setters.js'
import { renderTemplate } from '../gotemplate/exec.js'
import { TemplateError } from '../gotemplate/parse.js'
import { GoMap } from '../gotemplate/values.js'

/** Flux's message when `messageTemplate` is empty (I-23). */
export const DEFAULT_COMMIT_MESSAGE = 'Update from image update automation'

interface GoChange {
  OldValue: string
  NewValue: string
  Setter: string
}

interface GoObjectId {
  APIVersion: string
  Kind: string
  Name: string
  Namespace: string
}

/**
 * The data Flux hands a messageTemplate (I-23): `.AutomationObject` (Name, Namespace),
 * `.Values`, and `.Changed` with `.FileChanges` (file relative to update.path → object → changes),
 * `.Changes` (de-duplicated) and `.Objects`. Go maps become GoMap values.
 */
export function templateData(
  automation: { name: string; namespace: string },
  updatePath: string,
  changes: SetterChange[],
  values: Record<string, string>,
): unknown {
  const ids = new Map<string, GoObjectId>()
  const idOf = (c: SetterChange): GoObjectId => {
    const key = `${c.object.apiVersion}|${c.object.kind}|${c.object.namespace}|${c.object.name}`
    let id = ids.get(key)
    if (!id) {
      id = { APIVersion: c.object.apiVersion, Kind: c.object.kind, Name: c.object.name, Namespace: c.object.namespace }
      ids.set(key, id)
    }
    return id
  }
  const toGo = (c: SetterChange): GoChange => ({ OldValue: c.oldValue, NewValue: c.newValue, Setter: c.setter })
  const byFile = new Map<string, Map<GoObjectId, GoChange[]>>()
  const byObject = new Map<GoObjectId, GoChange[]>()
  const unique = new Map<string, GoChange>()
  for (const c of changes) {
    const file = relativeTo(updatePath, c.file)
    const perFile = byFile.get(file) ?? new Map<GoObjectId, GoChange[]>()
    byFile.set(file, perFile)
    const id = idOf(c)
    perFile.set(id, [...(perFile.get(id) ?? []), toGo(c)])
    byObject.set(id, [...(byObject.get(id) ?? []), toGo(c)])
    unique.set(`${c.oldValue}\0${c.newValue}\0${c.setter}`, toGo(c))
  }
  const fileChanges = new GoMap([...byFile].map(([f, m]) => [f, new GoMap([...m])] as [unknown, unknown]))
  return {
    AutomationObject: { Name: automation.name, Namespace: automation.namespace },
    Values: new GoMap(Object.entries(values), ''),
    Changed: { FileChanges: fileChanges, Changes: [...unique.values()], Objects: new GoMap([...byObject]) },
  }
}

/**
 * The commit message for a set of changes. A template error (syntax, an unsupported
 * function, or the fields Flux removed: `.Updated`, `.Changed.ImageResult`) is returned as
 * `error`: Flux marks such an automation Stalled, so no commit is proposed.
 */
export function commitMessage(template: string | undefined, data: unknown): { ok: true; message: string } | { ok: false; error: string } {
  if (template === undefined || template.trim() === '') return { ok: true, message: DEFAULT_COMMIT_MESSAGE }
  try {
    return { ok: true, message: renderTemplate(template, data) }
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err
    const removed = /field (Updated|ImageResult)\b/.test(err.message) ? ' (removed in image.toolkit.fluxcd.io/v1; use .Changed)' : ''
    return { ok: false, error: `${err.message}${removed}` }
  }
}

function relativeTo(base: string, file: string): string {
  if (base === '') return file
  return file.startsWith(`${base}/`) ? file.slice(base.length + 1) : file
}
