import { api } from "./api.ts";

/** Downloads a file of the API (a report, an export) to the device; resolves to its name. */
export async function downloadFile(token: string, path: string): Promise<string> {
  const { blob, name } = await api.download(token, path);
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
