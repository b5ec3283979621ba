// Writes dist/licenses.txt: the license of every production dependency, sorted by name and
// version. ncc's own --license output depends on the order modules finish building, so two
// builds of the same source could differ; this file is the same on every build.
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

const LICENSE_FILE = /^(licen[cs]e|copying)(\.|$)/i

/** Every installed production package, once per name and version. */
function productionPackages() {
  const ls = spawnSync('npm', ['ls', '--all', '--omit=dev', '--json', '--long'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024
  })
  const packages = new Map()
  const walk = node => {
    for (const [name, dep] of Object.entries(node.dependencies ?? {})) {
      const key = `${name}@${dep.version}`
      if (!dep.path || packages.has(key)) continue
      packages.set(key, { name, version: dep.version, dir: dep.path })
      walk(dep)
    }
  }
  walk(JSON.parse(ls.stdout))
  // Plain code-unit order, not localeCompare: the file must not depend on the machine's locale.
  const key = pkg => `${pkg.name}@${pkg.version}`
  return [...packages.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}

/** The package's license name and the text of its license file, if it has one. */
function licenseOf(dir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  const file = fs
    .readdirSync(dir)
    .filter(name => LICENSE_FILE.test(name))
    .sort()[0]
  const text = file ? fs.readFileSync(path.join(dir, file), 'utf8').trim() : ''
  return { license: manifest.license ?? 'UNKNOWN', text }
}

const entries = productionPackages().map(pkg => {
  const { license, text } = licenseOf(pkg.dir)
  return [`${pkg.name}@${pkg.version}`, license, text].filter(Boolean).join('\n')
})
fs.writeFileSync(path.join('dist', 'licenses.txt'), `${entries.join('\n\n')}\n`)
