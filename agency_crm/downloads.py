"""Stored files staff download (email and contact form attachments, raw emails)."""

from django.http import FileResponse, Http404


def download_response(file_field, filename: str) -> FileResponse:
    """Always a download (never rendered inline), never sniffed into HTML or SVG."""
    try:
        handle = file_field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
