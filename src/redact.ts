/** Removes passwords from anything that looks like a connection URL or a `password=` parameter (also when it does not parse). */
export function redact(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@').replace(/(password=)[^&\s]+/gi, '$1***');
}
