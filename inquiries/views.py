from django.shortcuts import render


def inquiry_list(request):
    return render(request, "inquiries/inquiry_list.html")
