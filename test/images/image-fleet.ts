/**
 * A fleet with one ImageRepository, ImagePolicy and ImageUpdateAutomation over a Deployment
 * whose image carries a setter marker, the tag at `tag`, the registry at `host`.
 */
export function fleetFiles(host: string, tag: string): Record<string, string> {
  return {
    'clusters/prod/images.yaml': `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: {name: podinfo, namespace: flux-system}
spec: {image: ${host}/team/podinfo, interval: 5m, insecure: true}
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: {name: podinfo, namespace: flux-system}
spec:
  imageRepositoryRef: {name: podinfo}
  policy: {semver: {range: ">=1.0.0"}}
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 30m
  sourceRef: {kind: GitRepository, name: flux-system}
  git:
    checkout: {ref: {branch: main}}
    commit:
      author: {name: Image Bot, email: images@example.com}
      messageTemplate: |
        Bump images in {{ .Values.env }}
        {{ range .Changed.Changes }}
        - {{ .OldValue }} -> {{ .NewValue }}
        {{- end }}
      messageTemplateValues: {env: prod}
  update: {strategy: Setters, path: ./clusters/prod}
`,
    'clusters/prod/podinfo.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: podinfo, namespace: apps}
spec:
  template:
    spec:
      containers:
        - name: podinfo
          image: ${host}/team/podinfo:${tag} # {"$imagepolicy": "flux-system:podinfo"}
`,
  }
}
