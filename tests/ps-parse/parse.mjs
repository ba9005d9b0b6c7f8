// parse.mjs FILE...: parses each PowerShell file with the tree-sitter PowerShell grammar and
// fails (exit 1) when any has a syntax error (an ERROR or MISSING node), printing where.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// The grammar's own entry point is an ES module with top-level await and an import attribute
// (`with { type: "json" }`), which Debian 12's Node.js 18.19 cannot parse; its native binding is
// loaded here the way that entry point loads it (node-gyp-build), from CommonJS.
const require = createRequire(import.meta.url);
const Parser = require('tree-sitter');
const root = fileURLToPath(new URL('./node_modules/tree-sitter-powershell/', import.meta.url));
const PowerShell = require('node-gyp-build')(root);
try {
	PowerShell.nodeTypeInfo = JSON.parse(readFileSync(root + 'src/node-types.json', 'utf8'));
} catch {
	// optional: node type names only
}

const parser = new Parser();
parser.setLanguage(PowerShell);

function problems(node, out) {
	if (node.type === 'ERROR' || node.isMissing)
		out.push(node);
	for (const child of node.children)
		problems(child, out);
	return out;
}

let failed = 0;
const files = process.argv.slice(2);
if (files.length === 0) {
	console.error('usage: node parse.mjs FILE.ps1...');
	process.exit(2);
}
for (const file of files) {
	const text = readFileSync(file, 'utf8');
	// handed over in pieces by a callback: some releases of the node binding refuse a
	// string given whole past 32 KiB, and the script is near that
	const tree = parser.parse((index) => text.slice(index, index + 4096));
	const found = problems(tree.rootNode, []);
	for (const n of found) {
		const where = `${file}:${n.startPosition.row + 1}:${n.startPosition.column + 1}`;
		const what = n.isMissing ? `missing ${n.type}` : 'syntax error';
		console.error(`${where}: ${what} near ${JSON.stringify(n.text.slice(0, 60))}`);
	}
	if (found.length)
		failed++;
	else
		console.log(`${file}: parsed, no syntax error (${text.length} characters)`);
}
process.exit(failed ? 1 : 0);
