// The dependency rule of docs/ARCHITECTURE.md, and nothing else: this config exists so a newcomer learns
// the rule from `npm test`, not from a review. Only the rules below are on (no recommended set).
import tseslint from 'typescript-eslint';

/** Folders whose code decides and never touches the system: a test drives it with a FakeClock. */
const PURE = ['model', 'ports', 'config', 'health', 'vrrp', 'reconcile', 'dataplane'];
/** Folders that implement ports (adapters) or wire the process; src/testing serves test/ and bench/ only. */
const ADAPTERS = ['planes', 'netlink', 'native', 'platform', 'metrics', 'control'];
const WIRING = ['daemon', 'cli', 'demo'];

const SYSTEM_MODULES = ['dgram', 'fs', 'fs/promises', 'child_process', 'tls', 'http', 'https', 'timers', 'timers/promises', 'perf_hooks'];
const folderPattern = (dirs) => dirs.flatMap((d) => [`**/${d}/**`, `./${d}/**`]);

const systemImports = {
  group: SYSTEM_MODULES.flatMap((m) => [`node:${m}`, m]),
  message: 'pure layers touch no sockets, files, processes or timers: take an injected port (src/ports) instead',
};
// isIPv4/isIPv6 are pure string checks (model/address.ts parses with them); the rest of node:net is sockets.
const netImport = {
  group: ['node:net', 'net'],
  allowImportNames: ['isIP', 'isIPv4', 'isIPv6'],
  message: 'pure layers open no sockets (only isIP/isIPv4/isIPv6 may come from node:net)',
};
const testingImport = {
  group: folderPattern(['testing']),
  message: 'src/testing (fakes and harnesses) is for test/ and bench/ only',
};
const restrictImports = (...patterns) => ['error', { patterns }];

// Time comes from the Clock port (src/ports/clock.ts); every other source of "now" or a timer is a hidden input.
const CLOCK_MESSAGE = 'pure layers read time and arm timers only through the Clock port (src/ports/clock.ts)';
const timeGlobals = ['error', ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'performance']
  .map((name) => ({ name, message: CLOCK_MESSAGE }))];
const timeProperties = ['error',
  ...[['Date', 'now'], ['performance', 'now'], ['process', 'hrtime'], ['globalThis', 'setTimeout'], ['globalThis', 'setInterval'], ['globalThis', 'setImmediate']]
    .map(([object, property]) => ({ object, property, message: CLOCK_MESSAGE }))];
const noDynamicImport = ['error', { selector: 'ImportExpression', message: 'pure layers load no modules at run time' }];

const under = (dirs) => dirs.map((d) => `src/${d}/**/*.ts`);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'native/build/**', '.tap/**', 'coverage/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    // model/ and ports/ import nothing but each other.
    files: under(['model', 'ports']),
    rules: {
      'no-restricted-imports': restrictImports(systemImports, netImport, testingImport, {
        group: folderPattern(PURE.filter((d) => d !== 'model' && d !== 'ports').concat(ADAPTERS, WIRING)),
        message: 'model/ and ports/ import nothing but each other',
      }),
    },
  },
  {
    files: under(PURE.filter((d) => d !== 'model' && d !== 'ports')),
    rules: {
      'no-restricted-imports': restrictImports(systemImports, netImport, testingImport, {
        group: folderPattern([...ADAPTERS, ...WIRING]),
        message: 'pure layers import only model, ports and each other: adapters and wiring import them, not the other way',
      }),
    },
  },
  {
    files: under(PURE),
    rules: {
      'no-restricted-globals': timeGlobals,
      'no-restricted-properties': timeProperties,
      'no-restricted-syntax': noDynamicImport,
    },
  },
  {
    // Adapters implement ports; they never reach up into the code that wires them.
    files: under(ADAPTERS),
    rules: {
      'no-restricted-imports': restrictImports(testingImport, {
        group: folderPattern(WIRING),
        message: 'adapters implement ports; daemon/ and cli/ wire them, not the other way',
      }),
    },
  },
  {
    files: under(WIRING),
    rules: { 'no-restricted-imports': restrictImports(testingImport) },
  },
);
