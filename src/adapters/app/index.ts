export default function app(): void {}
