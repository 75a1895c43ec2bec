from django.http import HttpResponse


def home(request):
    return HttpResponse("gongkai")


policy_list = policy_detail = search = normative_list = home
