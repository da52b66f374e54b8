// Runs one call of Camunda's own AdminApiClient (@camunda8/sdk) against Backstop, as a user of
// that client would configure it, and prints the client's result as JSON.
//
//   BACKSTOP_URL=http://127.0.0.1:8080 CLIENT_ID=… CLIENT_SECRET=… CLUSTER_ID=… node admin-client.mjs list|create|delete <backupId>
//
// Exit 0 with the JSON result on stdout; exit 1 with "error: …" on stderr.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const { BACKSTOP_URL, CLIENT_ID, CLIENT_SECRET, CLUSTER_ID } = process.env
const [command, argument] = process.argv.slice(2)

// The SDK reads its configuration from the environment too: keep the caller's out of it.
for (const name of Object.keys(process.env)) {
  if (name.startsWith('CAMUNDA_') || name.startsWith('ZEEBE_')) delete process.env[name]
}
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-sdk-'))
process.on('exit', () => fs.rmSync(cacheDir, { recursive: true, force: true }))

const { Camunda8 } = await import('@camunda8/sdk')
const camunda = new Camunda8({
  CAMUNDA_AUTH_STRATEGY: 'OAUTH',
  CAMUNDA_CONSOLE_BASE_URL: BACKSTOP_URL,
  CAMUNDA_OAUTH_URL: `${BACKSTOP_URL}/oauth/token`,
  CAMUNDA_CONSOLE_CLIENT_ID: CLIENT_ID,
  CAMUNDA_CONSOLE_CLIENT_SECRET: CLIENT_SECRET,
  // Outside Camunda's SaaS the SDK asks for the console token with the Zeebe credentials.
  ZEEBE_CLIENT_ID: CLIENT_ID,
  ZEEBE_CLIENT_SECRET: CLIENT_SECRET,
  CAMUNDA_TOKEN_DISK_CACHE_DISABLE: true,
  CAMUNDA_TOKEN_CACHE_DIR: cacheDir,
  CAMUNDA_SUPPORT_LOG_ENABLED: false,
  CAMUNDA_LOG_LEVEL: 'none',
})
const admin = camunda.getAdminApiClient()

try {
  let result
  if (command === 'list') result = await admin.getBackups(CLUSTER_ID)
  else if (command === 'create') result = await admin.createBackup(CLUSTER_ID)
  else if (command === 'delete') result = await admin.deleteBackup(CLUSTER_ID, argument)
  else throw new Error(`unknown command ${command}`)
  process.stdout.write(JSON.stringify(result ?? null) + '\n')
  process.exit(0)
} catch (e) {
  process.stderr.write(`error: ${e?.message ?? e}\n`)
  process.exit(1)
}
