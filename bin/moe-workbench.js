#!/usr/bin/env node
// Entry of the `moe-workbench` command. The sources are TypeScript run directly by Node's type
// stripping (Node >= 22.18; `npx`/`npm run` use the project's own Node 24 from the `node` package).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `moe-workbench needs Node >= 22.18 (this is ${process.versions.node}). ` +
      'Run it through npx (`npx moe-workbench ...`), which uses the Node 24 installed with the project.',
  );
  process.exit(1);
}
await import('../electron/cli/main.ts');
