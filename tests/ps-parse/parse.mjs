// parse.mjs FILE...: parses each PowerShell file with the tree-sitter PowerShell grammar and
// fails (exit 1) when any has a syntax error (an ERROR or MISSING node), printing where.
import { readFileSync } from 'node:fs';
import Parser from 'tree-sitter';
import PowerShell from 'tree-sitter-powershell';

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
	// tree-sitter's node binding parses a string given whole only up to 32 KiB; a callback
	// hands it the text in pieces of any length
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
