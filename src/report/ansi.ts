/**
 * The handful of terminal styles the stylish report uses (basic 16-colour
 * ANSI, as chalk's level 1). A dozen lines instead of chalk keep chalk's
 * import and colour detection off the startup path of every lint; whether to
 * colour at all is decided by the CLI (useColor: TTY, NO_COLOR, FORCE_COLOR).
 */
export type Style = (text: string) => string;

export interface Palette {
  bold: Style;
  dim: Style;
  red: Style;
  redBold: Style;
  yellow: Style;
  yellowBold: Style;
  blue: Style;
  green: Style;
}

const plain: Style = (text) => text;

function style(open: string, close: string): Style {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

export function palette(color: boolean): Palette {
  if (!color) return { bold: plain, dim: plain, red: plain, redBold: plain, yellow: plain, yellowBold: plain, blue: plain, green: plain };
  const bold = style('1', '22');
  const red = style('31', '39');
  const yellow = style('33', '39');
  return { bold, dim: style('2', '22'), red, redBold: (t) => bold(red(t)), yellow, yellowBold: (t) => bold(yellow(t)), blue: style('34', '39'), green: style('32', '39') };
}
