// Lists the long rooms of packages/*/src (tests excluded): files over 300 lines and functions
// over 60. Used by test/conventions.test.ts and by hand: `node scripts/rooms.mjs [package…]`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const MAX_FILE_LINES = 300;
export const MAX_FUNCTION_LINES = 60;

const root = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.test(-d)?\.ts$/.test(entry.name) ? [path] : [];
  });
}

function functionName(node, file) {
  if (node.name) return node.name.getText(file);
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(file);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(file);
  return '(anonymous)';
}

/** Every long file and long function of the given packages (default: all). */
export function longRooms(packages = readdirSync(join(root, 'packages'))) {
  const found = [];
  for (const pkg of packages) {
    for (const path of sourceFiles(join(root, 'packages', pkg, 'src'))) {
      const text = readFileSync(path, 'utf8');
      const name = relative(root, path);
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      if (lines > MAX_FILE_LINES) found.push({ file: name, lines, what: 'file' });
      const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
      const visit = (node) => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
          const end = file.getLineAndCharacterOfPosition(node.end).line;
          const length = end - start + 1;
          if (length > MAX_FUNCTION_LINES) {
            found.push({ file: name, lines: length, what: `function ${functionName(node, file)} (line ${start + 1})` });
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
  }
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rooms = longRooms(process.argv.length > 2 ? process.argv.slice(2) : undefined);
  for (const room of rooms) console.log(`${room.file}: ${room.what}, ${room.lines} lines`);
  if (rooms.length === 0) console.log('no long rooms');
}
