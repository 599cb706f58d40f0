// Lint, including the layer rules: who may import whom, written once as data.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

// The layer table: for each folder, what it must not import and why. One rule per folder,
// because ESLint replaces (does not merge) a rule's options when two blocks match a file.
const plainNode = {
  group: ['electron', '**/main/**', '**/preload/**', '**/renderer/**'],
  message: 'Layer rule: engine, store, api, CLI and serve run in plain Node: no Electron, no UI code.',
};
const layers = {
  'electron/engine': [
    plainNode,
    { group: ['**/store/**', '**/api/**', '**/cli/**', '**/serve/**'], message: 'Layer rule: the engine knows nothing of the store or its hosts; it reports through callbacks.' },
  ],
  'electron/store': [
    plainNode,
    { group: ['**/engine/**', '**/api/**', '**/cli/**', '**/serve/**', '@tensorflow/*'], message: 'Layer rule: the store keeps records; it knows nothing of models or hosts.' },
  ],
  'electron/api': [plainNode],
  'electron/cli': [plainNode],
  'electron/serve': [plainNode],
  'electron/preload': [
    { group: ['**/engine/**', '**/store/**', '**/api/**', '**/cli/**', '**/serve/**', '**/main/**'], message: 'Layer rule: the preload exposes named IPC calls and nothing else.' },
  ],
  renderer: [
    { group: ['electron', '**/electron/**', ...nodeBuiltins, 'better-sqlite3', '@tensorflow/*'], message: 'Layer rule: the renderer talks to the engine only through the API client; no Node, no Electron.' },
  ],
  shared: [
    { group: ['electron', '**/electron/**', '**/renderer/**', ...nodeBuiltins], message: 'Layer rule: shared/ is the contract both sides use; it imports neither side.' },
  ],
};

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
  {
    files: ['electron/main/**/*.ts'],
    ignores: ['electron/main/ipc.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "ImportSpecifier[imported.name='ipcMain']", message: 'Use handle() from electron/main/ipc.ts: it validates and checks the sender.' },
      ],
    },
  },
  ...layerRules,
);
