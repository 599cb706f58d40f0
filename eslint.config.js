// Lint, including the layer rules: who may import whom, written once as data.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

// The layer table: for each folder, what it must not import and why. One rule per folder,
// because ESLint replaces (does not merge) a rule's options when two blocks match a file.
const plainNode = {
  group: ['electron', '**/main/**', '**/preload/**', '**/renderer/**'],
  message: 'Layer rule: engine, store, api, CLI and serve run in plain Node: no Electron, no UI code.',
};
// Runtime code (what `npm install --omit=dev` of the CLI must run) imports only `dependencies`
// and `optionalDependencies`: a devDependency is left out of a production install.
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const runtimePackages = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
// (`electron` itself is kept out of these folders by the layer rule above.)
const devOnly = Object.keys(pkg.devDependencies ?? {}).filter((name) => !runtimePackages.has(name) && name !== 'electron');
const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const runtimeDeps = {
  regex: `^(${devOnly.map(escapeRegex).join('|')})(/.*)?$`,
  message: 'Dependency rule: runtime code (engine, store, api, cli, serve, shared) imports only package.json "dependencies"; this package is a devDependency, left out of a production install. Move it to "dependencies" if the runtime needs it.',
};
const layers = {
  'electron/engine': [
    plainNode,
    runtimeDeps,
    { group: ['**/store/**', '**/api/**', '**/cli/**', '**/serve/**'], message: 'Layer rule: the engine knows nothing of the store or its hosts; it reports through callbacks.' },
  ],
  'electron/store': [
    plainNode,
    runtimeDeps,
    { group: ['**/engine/**', '**/api/**', '**/cli/**', '**/serve/**', '@tensorflow/*'], message: 'Layer rule: the store keeps records; it knows nothing of models or hosts.' },
  ],
  'electron/api': [plainNode, runtimeDeps],
  'electron/cli': [plainNode, runtimeDeps],
  'electron/serve': [plainNode, runtimeDeps],
  'electron/preload': [
    { group: ['**/engine/**', '**/store/**', '**/api/**', '**/cli/**', '**/serve/**', '**/main/**'], message: 'Layer rule: the preload exposes named IPC calls and nothing else.' },
  ],
  renderer: [
    { group: ['electron', '**/electron/**', ...nodeBuiltins, 'better-sqlite3', '@tensorflow/*'], message: 'Layer rule: the renderer talks to the engine only through the API client; no Node, no Electron.' },
  ],
  shared: [
    { group: ['electron', '**/electron/**', '**/renderer/**', ...nodeBuiltins], message: 'Layer rule: shared/ is the contract both sides use; it imports neither side.' },
    runtimeDeps,
  ],
};

// Raw IPC objects: only electron/main/ipc.ts (ipcMain) and electron/preload/index.ts (ipcRenderer).
const ipcMessage = 'Use the typed IPC wrappers (electron/main/ipc.ts in main, electron/preload/bridge.ts in the preload): they check the sender and validate every message.';
const ipcBans = [
  "ImportDeclaration[source.value='electron'] > ImportSpecifier[imported.name=/^ipc(Main|Renderer)$/]",
  "ImportDeclaration[source.value='electron'] > ImportNamespaceSpecifier",
  "ImportDeclaration[source.value='electron'] > ImportDefaultSpecifier",
  'MemberExpression[property.name=/^ipc(Main|Renderer)$/]',
  "ImportExpression[source.value='electron']",
  "CallExpression[callee.name='require'][arguments.0.value='electron']",
].map((selector) => ({ selector, message: ipcMessage }));

const layerRules = Object.entries(layers).map(([folder, patterns]) => ({
  files: [`${folder}/**/*.{ts,tsx}`],
  rules: { 'no-restricted-imports': ['error', { patterns }] },
}));

export default tseslint.config(
  { ignores: ['.scratch/**', 'out/**', 'dist/**', 'node_modules/**', 'test/fixtures/**', 'resources/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.js', 'bin/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  // The one raw ipcMain/ipcRenderer use lives in the wrappers; everything else goes through them.
  // Named, namespace, default, dynamic and require imports of Electron's IPC objects are all caught.
  {
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ['electron/main/ipc.ts', 'electron/preload/index.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...ipcBans],
    },
  },
  ...layerRules,
);
