import { useEffect, useState } from "react";
import QRCode from "qrcode";

/** A QR code of `url` as a data URL (null while drawing, or without a URL). */
export function useQrCode(url: string | null | undefined, width: number): string | null {
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return setImage(null);
    let live = true;
    void QRCode.toDataURL(url, { margin: 1, width, errorCorrectionLevel: "M" }).then((data) => {
      if (live) setImage(data);
    });
    return () => {
      live = false;
    };
  }, [url, width]);
  return image;
}
