/** True for hosts that never leave the machine: 127.0.0.0/8, localhost and [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(hostname)
  )
}

/** Whether the action may talk to `url`: https, or plain http only to a loopback host. */
export function isAllowedUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))
}

/** Hides the user and password of a URL-like text before it is shown. */
export function redactUserinfo(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/, '//***@')
}
