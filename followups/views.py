from django.shortcuts import render

from agency_crm.roles import manager_required


def inbox(request):
    return render(request, "followups/inbox.html")


def checkins(request):
    return render(request, "followups/checkins.html")


@manager_required
def dashboard(request):
    return render(request, "followups/dashboard.html")
