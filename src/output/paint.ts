export interface Style {
  readonly color: boolean;
}

const COLORS = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
export type ColorName = keyof typeof COLORS;

export function paint(style: Style, color: ColorName, text: string): string {
  return style.color ? `\u001b[${COLORS[color]}m${text}\u001b[0m` : text;
}
