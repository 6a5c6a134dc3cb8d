// validate.mjs - checks Kubernetes manifests against the Kubernetes OpenAPI
// schemas through kubernetes-models (each class validates an object against
// its schema) and js-yaml, both pinned in package.json / package-lock.json.
//   node validate.mjs FILE.yaml...     (scripts/k8s-validate.sh runs it)
// Every document of every file must be a known kind of a known API version
// and valid: its fields' types and formats, the required ones. (The
// schemas let fields they do not name through, as the API server's
// decoding does: a misspelt field name is not caught here.)
// Exit 0 when all are valid, 1 with one line per error otherwise.
import fs from "node:fs";
import yaml from "js-yaml";

let errors = 0, checked = 0;
const fail = (where, msg) => { console.log(`${where}: ${msg}`); errors++; };

async function modelOf(apiVersion, kind) {
  if (!/^[a-z0-9.]+(\/[a-z0-9]+)?$/.test(apiVersion) || !/^[A-Za-z]+$/.test(kind)) return null;
  try {	// "apps/v1" -> kubernetes-models/apps/v1/DaemonSet, "v1" -> kubernetes-models/v1/Service
    const mod = await import(`kubernetes-models/${apiVersion}/${kind}`);
    return mod[kind];
  } catch (e) {
    return null;
  }
}

for (const file of process.argv.slice(2)) {
  let docs;
  try {
    docs = yaml.loadAll(fs.readFileSync(file, "utf8"));
  } catch (e) {
    fail(file, `not YAML: ${e.message.split("\n")[0]}`);
    continue;
  }
  for (const [i, doc] of docs.entries()) {
    if (doc === null || doc === undefined) continue;
    const where = `${file}: document ${i + 1}`;
    if (typeof doc !== "object" || !doc.apiVersion || !doc.kind) {
      fail(where, "no apiVersion and kind");
      continue;
    }
    const Model = await modelOf(doc.apiVersion, doc.kind);
    if (!Model) {
      fail(where, `unknown kind ${doc.kind} of ${doc.apiVersion}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (e) {
      const details = (e.errors || []).map((x) => `${x.instancePath || "/"} ${x.message}`);
      fail(`${where} (${doc.kind} ${doc.metadata?.name})`,
           details.length ? details.join("; ") : e.message);
      continue;
    }
    checked++;
  }
}
console.log(`${checked} documents valid, ${errors} errors`);
process.exit(errors ? 1 : 0);
