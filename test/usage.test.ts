import { describe, expect, it } from 'vitest';
import {
  COMMANDS,
  commandHelp,
  findCommand,
  generalHelp,
  parseCommand,
  refuseTogether,
  UsageError,
} from '../src/usage.js';

const build = findCommand('build');

/** The message of the UsageError `run` throws. */
function usageError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('no UsageError');
}

describe('the command line', () => {
  it('finds commands by name and alias, and suggests the nearest for a typo', () => {
    expect(findCommand('serve').name).toBe('preview');
    expect(findCommand('init').name).toBe('new');
    expect(usageError(() => findCommand('bild'))).toBe(
      'unknown command "bild" (did you mean "build"?); see anthology --help',
    );
    expect(usageError(() => findCommand('--verison'))).toBe(
      'unknown option --verison (did you mean --version?); see anthology --help',
    );
    expect(usageError(() => findCommand('compile'))).toBe('unknown command "compile"; see anthology --help');
  });

  it('parses long and short options, before or after BOOK_DIR', () => {
    const { values, positionals } = parseCommand(build, [
      '-f',
      'epub',
      'my-book',
      '-o',
      'out',
      '--format=pdf',
    ]);
    expect(positionals).toEqual(['my-book']);
    expect(values.format).toEqual(['epub', 'pdf']);
    expect(values.out).toBe('out');
    expect(parseCommand(build, ['-h']).values.help).toBe(true);
  });

  it('words every mistake in one line, with the option meant', () => {
    expect(usageError(() => parseCommand(build, ['--formt', 'epub']))).toBe(
      'unknown option --formt for build (did you mean --format?); see anthology build --help',
    );
    expect(usageError(() => parseCommand(build, ['-q']))).toBe(
      'unknown option -q for build (did you mean --quiet?); see anthology build --help',
    );
    expect(usageError(() => parseCommand(build, ['--out']))).toBe(
      '--out needs a value (--out DIR); see anthology build --help',
    );
    expect(usageError(() => parseCommand(build, ['--quiet=yes']))).toBe(
      '--quiet takes no value; see anthology build --help',
    );
    expect(usageError(() => parseCommand(build, ['a', 'b']))).toBe(
      'build takes one BOOK_DIR, got 2: "a" "b"; see anthology build --help',
    );
    expect(usageError(() => parseCommand(findCommand('pairs'), []))).toBe(
      'pairs needs FILE; see anthology pairs --help',
    );
    expect(usageError(() => parseCommand(findCommand('check'), ['--watch']))).toBe(
      'unknown option --watch for check; see anthology check --help',
    );
    for (const message of [
      usageError(() => parseCommand(build, ['--formt'])),
      usageError(() => findCommand('bild')),
    ])
      expect(message).not.toMatch(/\n/);
  });

  it('refuses options that contradict each other', () => {
    const { values } = parseCommand(build, ['--quiet', '--verbose']);
    expect(usageError(() => refuseTogether(values, 'quiet', 'verbose'))).toBe(
      '--quiet and --verbose cannot be used together',
    );
    expect(() => refuseTogether(parseCommand(build, ['--quiet']).values, 'quiet', 'verbose')).not.toThrow();
  });

  it("each command's help lists its own options; the general help every command", () => {
    for (const command of COMMANDS) {
      const help = commandHelp(command);
      expect(help).toMatch(new RegExp(`^Usage: anthology ${command.name} `, 'm'));
      for (const name of Object.keys(command.options)) expect(help).toContain(`--${name}`);
      expect(generalHelp()).toContain(`anthology ${command.name} ${command.args}`);
      for (const line of help.split('\n')) expect(line.length, line).toBeLessThanOrEqual(110);
    }
    expect(commandHelp(build)).toMatch(/-o, --out DIR/);
    expect(commandHelp(build)).toMatch(/-f, --format FORMAT/);
    expect(commandHelp(build)).not.toContain('--port');
    expect(generalHelp()).toMatch(/ANTHOLOGY_CACHE_DIR/);
    expect(generalHelp()).toMatch(/serve \(preview\), init \(new\)/);
  });
});
