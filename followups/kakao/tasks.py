"""KakaoTalk tasks: thin wrappers that take ids and call followups.kakao."""

from celery import shared_task


@shared_task(name="followups.kakao.tasks.kakao_inbound_process")
def kakao_inbound_process(inbound_id: int) -> str:
    """Import one webhook delivery (queued by the webhook after its commit)."""
    from .inbound import kakao_inbound_process as process

    return process(inbound_id=inbound_id)


@shared_task(name="followups.kakao.tasks.kakao_sweep")
def kakao_sweep() -> dict:
    """Beat, every minute: import deliveries whose task was lost, read back AlimTalk results.
    Both are idempotent (a queued row is imported once; a final result is not asked again)."""
    from .alimtalk import delivery_results_sync
    from .inbound import kakao_inbound_due_ids
    from .inbound import kakao_inbound_process as process

    ids = kakao_inbound_due_ids()
    for inbound_id in ids:
        process(inbound_id=inbound_id)
    return {"imported": len(ids), "results": delivery_results_sync()}
