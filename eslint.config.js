// Lint: typescript-eslint's recommended rules plus the import boundaries of ../shared/STYLE.md:
// only src/k8s may import the Kubernetes client, and the pure core never touches the process,
// the file system or child processes.
import tseslint from 'typescript-eslint';

const ioModules = ['node:fs', 'node:fs/promises', 'node:child_process', 'fs', 'child_process', 'execa', 'chokidar'];
const pureCore = ['src/api/**', 'src/net/**', 'src/ipam/**', 'src/core/**', 'src/controller/**', 'src/speaker/l2/**', 'src/speaker/bgp/**', 'src/migrate/**', 'src/explain/**'];
// Adapters and test fixtures inside those trees: the places where I/O is the point.
const coreAdapters = [
  'src/speaker/l2/raw-socket*.ts',
  'src/speaker/l2/heartbeat/udp.ts',
  'src/speaker/l2/sysfs-interfaces.ts',
  'src/speaker/l2/codec/testdata/**',
  'src/speaker/bgp/apply/**',
  'src/speaker/bgp/state/vtysh-query.ts',
  'src/speaker/bgp/handler.ts',
  'src/speaker/bgp/template-files.ts',
  'src/**/*.test.ts',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.cache/**', 'src/speaker/bgp/templates-precompiled.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` array and a union type (erasable syntax).' },
        { selector: 'TSModuleDeclaration[kind="namespace"]', message: 'No namespaces (erasable syntax).' },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@kubernetes/client-node'], message: 'Only src/k8s/ talks to the Kubernetes client.' }] },
      ],
    },
  },
  {
    files: pureCore,
    ignores: coreAdapters,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({ name, message: 'The pure core does no I/O; put this in an adapter.' })),
          patterns: [{ group: ['@kubernetes/client-node'], message: 'Only src/k8s/ talks to the Kubernetes client.' }],
        },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'The core takes its settings as arguments.' }],
      'no-restricted-globals': ['error', { name: 'process', message: 'The pure core does not read the process.' }],
    },
  },
  {
    // The Kubernetes adapter, and the tests that drive a real apiserver directly.
    files: ['src/k8s/**', 'e2e/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
